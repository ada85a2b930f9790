// SPDX-License-Identifier: GPL-2.0
/*
 * Allocations whose GFP flags are chosen by asking the context (docs/kernel-facts.md §4.1):
 * in_interrupt() is true in hard IRQ handlers, softirqs and BH-disabled sections, so there the
 * GFP_KERNEL arm is dead; under a plain spinlock in process context it is false and the GFP_KERNEL
 * arm sleeps. in_atomic() asks about atomic context as a whole: the author checked, no report.
 */
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

struct cg_dev {
	spinlock_t lock;
	struct timer_list timer;
	void *ctlx;
	int irq;
};

/* The wlan-ng hfa384x_usbctlx pattern. */
static void *cg_alloc_ctlx(void)
{
	return kzalloc(64, in_interrupt() ? GFP_ATOMIC : GFP_KERNEL);
}

static irqreturn_t cg_irq_ok(int irq, void *data)
{
	struct cg_dev *dev = data;

	dev->ctlx = cg_alloc_ctlx();
	return IRQ_HANDLED;
}

static void cg_timer_ok(struct timer_list *t)
{
	struct cg_dev *dev = from_timer(dev, t, timer);

	dev->ctlx = kmalloc(32, in_interrupt() ? GFP_ATOMIC : GFP_KERNEL);
}

static void cg_bh_ok(struct cg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	dev->ctlx = cg_alloc_ctlx();
	spin_unlock_bh(&dev->lock);
}

/* Process context, plain spinlock: in_interrupt() is false, GFP_KERNEL is used. */
static void cg_spinlock_bad(struct cg_dev *dev)
{
	spin_lock(&dev->lock);
	dev->ctlx = cg_alloc_ctlx(); // expect: sleeping-alloc-in-atomic
	spin_unlock(&dev->lock);
}

static void cg_spinlock_direct_bad(struct cg_dev *dev)
{
	spin_lock(&dev->lock);
	dev->ctlx = kzalloc(16, in_interrupt() ? GFP_ATOMIC : GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock(&dev->lock);
}

static void *cg_alloc_flags(gfp_t gfp)
{
	return kmalloc(128, gfp);
}

static void cg_passed_down_irqsave_bad(struct cg_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	dev->ctlx = cg_alloc_flags(in_interrupt() ? GFP_ATOMIC : GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock_irqrestore(&dev->lock, flags);
}

static void cg_in_task_bad(struct cg_dev *dev)
{
	spin_lock(&dev->lock);
	/* in_task() is still true with BH disabled: not decisive, one blocking arm counts. */
	dev->ctlx = kzalloc(16, in_task() ? GFP_KERNEL : GFP_ATOMIC); // expect: sleeping-alloc-in-atomic
	spin_unlock(&dev->lock);
}

/* The author asked whether anything makes it atomic. */
static void cg_in_atomic_ok(struct cg_dev *dev)
{
	spin_lock(&dev->lock);
	dev->ctlx = kzalloc(16, in_atomic() ? GFP_ATOMIC : GFP_KERNEL);
	spin_unlock(&dev->lock);
}

static void cg_irqs_disabled_ok(struct cg_dev *dev)
{
	spin_lock_irq(&dev->lock);
	dev->ctlx = kvmalloc(1 << 20, irqs_disabled() ? GFP_ATOMIC : GFP_KERNEL);
	spin_unlock_irq(&dev->lock);
}

static int cg_probe(struct cg_dev *dev)
{
	timer_setup(&dev->timer, cg_timer_ok, 0);
	return request_irq(dev->irq, cg_irq_ok, 0, "cg", dev);
}
