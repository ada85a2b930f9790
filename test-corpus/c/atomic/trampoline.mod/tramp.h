/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's own timer and work objects: each stores the caller's function and argument and
 * registers a trampoline of its own, which calls the stored function. The caller's function runs
 * where the trampoline runs: softirq for the timer, process context for the work item.
 */
#ifndef TRAMP_H
#define TRAMP_H

#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/mutex.h>

struct tr_timer {
	struct timer_list timer;
	void (*function)(void *);
	void (*on_cancel)(void *);
	void *arg;
};

struct tr_work {
	struct work_struct work;
	void (*func)(void *);
	void *arg;
};

struct tr_dev {
	struct tr_timer watchdog;
	struct tr_timer poll;
	struct tr_timer stats;
	struct tr_work reset;
	struct mutex lock;
	void *buf;
	size_t len;
};

static inline void tr_timer_hdl(struct timer_list *t)
{
	struct tr_timer *tt = from_timer(tt, t, timer);

	tt->function(tt->arg);
}

/* Stores the callback in the object, registers the trampoline. */
static inline void _tr_init_timer(struct tr_timer *tt, void *fn, void *cancel, void *ctx)
{
	tt->function = fn;
	tt->on_cancel = cancel;
	tt->arg = ctx;
	timer_setup(&tt->timer, tr_timer_hdl, 0);
}

static inline void tr_work_hdl(struct work_struct *w)
{
	struct tr_work *tw = container_of(w, struct tr_work, work);

	(*tw->func)(tw->arg);
}

static inline void tr_init_work(struct tr_work *tw, void *fn, void *ctx)
{
	tw->func = fn;
	tw->arg = ctx;
	INIT_WORK(&tw->work, tr_work_hdl);
}

void tr_init_timer(struct tr_timer *tt, void *adapter, void *fn, void *ctx);
void tr_start(struct tr_dev *dev);

#endif
