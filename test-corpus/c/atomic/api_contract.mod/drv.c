// SPDX-License-Identifier: GPL-2.0
/*
 * A driver submitting URBs under its lock: judged by usb_submit_urb's contract (it sleeps iff its
 * gfp flags allow direct reclaim, kernel-facts §3.1), not by the body scanned beside it.
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
