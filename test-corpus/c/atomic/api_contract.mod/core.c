// SPDX-License-Identifier: GPL-2.0
/*
 * Stands in for a kernel API's own body in the same scan (as drivers/usb/core is when all of
 * drivers/ is scanned): its internal paths are not what its callers are judged by.
 */
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/usb.h>

static DEFINE_MUTEX(apic_hcd_mutex);

int usb_submit_urb(struct urb *urb, gfp_t mem_flags)
{
	/* A slow path the documented contract does not promise to callers. */
	if (!urb->dev) {
		mutex_lock(&apic_hcd_mutex);
		mutex_unlock(&apic_hcd_mutex);
	}
	return 0;
}

/* The HID core: the transport decides whether a report request sleeps. */
static void __hidc_request(struct hid_device *hdev, struct hid_report *report, int reqtype)
{
	char *buf = kzalloc(64, GFP_KERNEL);

	kfree(buf);
}

void hid_hw_request(struct hid_device *hdev, struct hid_report *report, int reqtype)
{
	if (hdev->ll_driver->request)
		return hdev->ll_driver->request(hdev, report, reqtype);

	__hidc_request(hdev, report, reqtype);
}

/* usbcore's unlink: asynchronous by contract, whatever its root-hub path does inside. */
static void apic_rh_dequeue(struct urb *urb)
{
	mutex_lock(&apic_hcd_mutex);
	mutex_unlock(&apic_hcd_mutex);
}

int usb_unlink_urb(struct urb *urb)
{
	if (!urb->dev)
		apic_rh_dequeue(urb);
	return -EINPROGRESS;
}
