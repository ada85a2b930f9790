// SPDX-License-Identifier: GPL-2.0
/*
 * The locked callers: every sleeping call is two or three calls away, in chain_table.c and
 * chain_util.c, and is reported here, at the call made with the lock held.
 */
#include <linux/slab.h>
#include "chain.h"

static void ch_update_bad(struct ch_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	ch_rebuild(dev); // expect: vmalloc-in-atomic
	spin_unlock_irqrestore(&dev->lock, flags);
}

static void ch_update_ok(struct ch_dev *dev)
{
	ch_rebuild(dev);
}

static void ch_event_bad(struct ch_dev *dev, int event)
{
	spin_lock(&dev->lock);
	ch_log_event(dev, event); // expect: sleep-in-atomic(conditional)
	spin_unlock(&dev->lock);
}

static void ch_entry_bad(struct ch_dev *dev)
{
	spin_lock(&dev->lock);
	dev->entry = ch_alloc_entry(dev, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock(&dev->lock);
}

static void ch_entry_ok(struct ch_dev *dev)
{
	spin_lock(&dev->lock);
	dev->entry = ch_alloc_entry(dev, GFP_ATOMIC);
	spin_unlock(&dev->lock);
}

/* The lock wrappers are in chain_util.c. */
static void ch_wrapped_bad(struct ch_dev *dev)
{
	ch_lock(dev);
	dev->entry = kmalloc(dev->size, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	ch_unlock(dev);
}

static void ch_wrapped_ok(struct ch_dev *dev)
{
	ch_lock(dev);
	dev->size = 0;
	ch_unlock(dev);
	dev->entry = kmalloc(64, GFP_KERNEL);
}

/* The timer callback is defined in chain_timer.c. */
static void ch_start(struct ch_dev *dev)
{
	timer_setup(&dev->poll_timer, ch_poll_timer, 0);
	mod_timer(&dev->poll_timer, jiffies + HZ);
}
