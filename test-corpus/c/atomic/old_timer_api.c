// SPDX-License-Identifier: GPL-2.0
// kmodcheck-kernel-version: 4.14
/*
 * A module read for a pre-4.15 kernel: its feature test picks setup_timer(), init_timer() with
 * an assigned .function, DEFINE_TIMER with four arguments and tasklet_init(), the registrations
 * of that generation; each callback runs in softirq context.
 */
#include <linux/version.h>
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <linux/timer.h>

struct ot_dev {
	struct timer_list poll;
	struct timer_list watchdog;
	struct tasklet_struct rx;
	struct mutex lock;
	void *buf;
	size_t len;
};

static void ot_poll_bad(unsigned long data)
{
	struct ot_dev *dev = (struct ot_dev *)data;

	dev->buf = kzalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
}

static void ot_watchdog_bad(unsigned long data)
{
	struct ot_dev *dev = (struct ot_dev *)data;

	mutex_lock(&dev->lock); // expect: sleep-in-atomic
	mutex_unlock(&dev->lock);
}

static void ot_rx_bad(unsigned long data)
{
	struct ot_dev *dev = (struct ot_dev *)data;

	dev->buf = vmalloc(dev->len); // expect: vmalloc-in-atomic
}

static void ot_global_bad(unsigned long data)
{
	void *p = kmalloc(64, GFP_KERNEL); // expect: sleeping-alloc-in-atomic

	kfree(p);
}

static DEFINE_TIMER(ot_global_timer, ot_global_bad, 0, 0);

static void ot_tick_ok(unsigned long data)
{
	struct ot_dev *dev = (struct ot_dev *)data;

	dev->buf = kzalloc(dev->len, GFP_ATOMIC);
}

void ot_start(struct ot_dev *dev)
{
#if defined(timer_setup)
	timer_setup(&dev->poll, ot_tick_ok, 0);
#else
	setup_timer(&dev->poll, ot_poll_bad, (unsigned long)dev);
#endif
	init_timer(&dev->watchdog);
	dev->watchdog.function = ot_watchdog_bad;
	dev->watchdog.data = (unsigned long)dev;
	tasklet_init(&dev->rx, ot_rx_bad, (unsigned long)dev);
	mod_timer(&ot_global_timer, jiffies + 1);
}
