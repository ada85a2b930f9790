// SPDX-License-Identifier: GPL-2.0
/*
 * A driver submitting URBs under its lock: judged by usb_submit_urb's contract (it sleeps iff its
 * gfp flags allow direct reclaim, docs/kernel-facts.md §3.1), not by the body scanned beside it.
 */
#include <linux/spinlock.h>
#include <linux/usb.h>

struct apic_dev {
	spinlock_t lock;
	struct urb *urb;
};

int apic_resubmit_ok(struct apic_dev *d)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&d->lock, flags);
	ret = usb_submit_urb(d->urb, GFP_ATOMIC);
	spin_unlock_irqrestore(&d->lock, flags);
	return ret;
}

int apic_resubmit_bad(struct apic_dev *d)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&d->lock, flags);
	ret = usb_submit_urb(d->urb, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock_irqrestore(&d->lock, flags);
	return ret;
}

/*
 * A USB HID force-feedback driver updating a report under its lock (hid-lg4ff): usbhid's
 * asynchronous request does not sleep; only a transport without one (uhid) would.
 */
struct apic_ff {
	spinlock_t report_lock;
	struct hid_device *hdev;
	struct hid_report *report;
};

void apic_ff_play_ok(struct apic_ff *ff)
{
	unsigned long flags;

	spin_lock_irqsave(&ff->report_lock, flags);
	hid_hw_request(ff->hdev, ff->report, HID_REQ_SET_REPORT); // limitation: sleep-in-atomic: hid_hw_request sleeps on transports without an asynchronous request (uhid, i2c-hid), which the driver's code does not decide
	spin_unlock_irqrestore(&ff->report_lock, flags);
}

/* A completion handler cancelling the other bulk URBs (usbfs devio): documented as asynchronous. */
static void apic_complete(struct urb *urb)
{
	struct apic_dev *d = urb->context;

	usb_unlink_urb(d->urb);
}

int apic_start_ok(struct apic_dev *d, struct usb_device *udev, void *buf)
{
	usb_fill_bulk_urb(d->urb, udev, usb_rcvbulkpipe(udev, 1), buf, 64, apic_complete, d);
	return usb_submit_urb(d->urb, GFP_KERNEL);
}
