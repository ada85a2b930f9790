// SPDX-License-Identifier: GPL-2.0
/*
 * The module's timer wrapper, used from its other files: the callback it registers runs in
 * softirq context.
 */
#include <linux/slab.h>
#include <linux/timer.h>
#include <ootdev/ootdev.h>

void ootdev_init_timer(struct timer_list *t, void (*fn)(struct timer_list *))
{
	timer_setup(t, fn, 0);
}

static void ootdev_watchdog(struct timer_list *t)
{
	struct ootdev *dev = from_timer(dev, t, watchdog);
	void *snap = kmalloc(sizeof(dev->cfg), GFP_KERNEL); // limitation: sleeping-alloc-in-atomic: a registration through the module's own wrapper is not inferred yet

	kfree(snap);
}

void ootdev_start(struct ootdev *dev)
{
	ootdev_init_timer(&dev->watchdog, ootdev_watchdog);
	mod_timer(&dev->watchdog, jiffies + HZ);
}
