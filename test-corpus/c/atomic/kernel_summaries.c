// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel APIs that sleep only deep inside the kernel, in code this module has no source for: the
 * shipped kernel summaries know (docs/kernel-summaries.md). The corpus scans this file a second
 * time without summaries, where every expect-summary line must have no finding at all.
 */
#include <linux/device.h>
#include <linux/spinlock.h>
#include <linux/regulator/consumer.h>
#include <linux/workqueue.h>
#include <linux/netdevice.h>
#include <linux/timer.h>
#include <linux/idr.h>

struct ks_dev {
	spinlock_t lock;
	struct device dev;
	struct regulator *vdd;
	struct idr ids;
	struct work_struct work;
	struct timer_list timer;
	struct completion done;
	void *entry;
};

static void ks_register_under_lock_bad(struct ks_dev *d)
{
	spin_lock(&d->lock);
	device_register(&d->dev); // expect-summary: sleeping-alloc-in-atomic
	spin_unlock(&d->lock);
}

static void ks_power_under_irqsave_bad(struct ks_dev *d)
{
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	regulator_enable(d->vdd); // expect-summary: sleep-in-atomic
	spin_unlock_irqrestore(&d->lock, flags);
}

/* The gfp argument decides: the kernel's idr_alloc_u32() allocates radix-tree nodes with it. */
static int ks_new_id(struct ks_dev *d, gfp_t gfp)
{
	u32 id = 0;

	return idr_alloc_u32(&d->ids, d->entry, &id, 255, gfp);
}

/*
 * Graded conditional: the radix tree allocates a node only when the slot has none ("child ==
 * NULL" in lib/radix-tree.c), a NULL test the grading counts as run-time state.
 */
static void ks_timer_bad(struct timer_list *t)
{
	struct ks_dev *d = from_timer(d, t, timer);

	ks_new_id(d, GFP_KERNEL); // expect-summary: sleeping-alloc-in-atomic(conditional)
}

static void ks_timer_ok(struct timer_list *t)
{
	struct ks_dev *d = from_timer(d, t, timer);

	ks_new_id(d, GFP_ATOMIC);
	queue_work(system_wq, &d->work);
	complete(&d->done);
}

static void ks_setup(struct ks_dev *d)
{
	timer_setup(&d->timer, ks_timer_bad, 0);
	timer_setup(&d->timer, ks_timer_ok, 0);
}

/* Kernel APIs documented (or proven by their own locking) not to sleep. */
static void ks_atomic_safe_under_lock_ok(struct ks_dev *d, struct sk_buff *skb)
{
	spin_lock(&d->lock);
	netif_rx(skb);
	queue_work_on(0, system_wq, &d->work);
	mod_timer(&d->timer, jiffies + HZ);
	complete(&d->done);
	spin_unlock(&d->lock);
}

/*
 * dev_err_probe() records the reason (a GFP_KERNEL allocation and a mutex) only for
 * -EPROBE_DEFER: the summary keys its chains by that value.
 */
static int ks_probe_timeout_ok(struct ks_dev *d)
{
	int ret;

	spin_lock(&d->lock);
	ret = dev_err_probe(&d->dev, -ETIMEDOUT, "no answer\n");
	spin_unlock(&d->lock);
	return ret;
}

static int ks_probe_defer_bad(struct ks_dev *d)
{
	int ret;

	spin_lock(&d->lock);
	ret = dev_err_probe(&d->dev, -EPROBE_DEFER, "supply not ready\n"); // expect-summary: sleeping-alloc-in-atomic
	spin_unlock(&d->lock);
	return ret;
}

static int ks_probe_any_bad(struct ks_dev *d, int err)
{
	int ret;

	spin_lock(&d->lock);
	ret = dev_err_probe(&d->dev, err, "failed\n"); // expect-summary: sleeping-alloc-in-atomic(conditional)
	spin_unlock(&d->lock);
	return ret;
}
