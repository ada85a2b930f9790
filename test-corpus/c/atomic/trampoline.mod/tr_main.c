// SPDX-License-Identifier: GPL-2.0
/*
 * Callbacks given to the module's timer and work wrappers. Those stored for the timer trampoline
 * run in softirq context; those for the work trampoline, or stored in a field the timer
 * trampoline never calls, run in process context.
 */
#include <linux/slab.h>
#include "tramp.h"

static void tr_watchdog_bad(void *ctx)
{
	struct tr_dev *dev = ctx;

	mutex_lock(&dev->lock); // expect: sleep-in-atomic
	mutex_unlock(&dev->lock);
}

static void tr_poll_bad(void *ctx)
{
	struct tr_dev *dev = ctx;

	dev->buf = kzalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
}

static void tr_stats_ok(void *ctx)
{
	struct tr_dev *dev = ctx;

	dev->buf = kzalloc(dev->len, GFP_ATOMIC);
}

/* Stored in on_cancel, which the trampoline does not call. */
static void tr_cancel_ok(void *ctx)
{
	struct tr_dev *dev = ctx;

	mutex_lock(&dev->lock);
	mutex_unlock(&dev->lock);
}

/* Run by the work trampoline: process context. */
static void tr_reset_ok(void *ctx)
{
	struct tr_dev *dev = ctx;

	mutex_lock(&dev->lock);
	dev->buf = kzalloc(dev->len, GFP_KERNEL);
	mutex_unlock(&dev->lock);
}

void tr_start(struct tr_dev *dev)
{
	tr_init_timer(&dev->watchdog, NULL, tr_watchdog_bad, dev);
	_tr_init_timer(&dev->poll, tr_poll_bad, tr_cancel_ok, dev);
	tr_init_timer(&dev->stats, NULL, tr_stats_ok, dev);
	tr_init_work(&dev->reset, tr_reset_ok, dev);
}
