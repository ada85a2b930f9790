/* SPDX-License-Identifier: GPL-2.0 */
/* A driver whose helpers, lock wrappers and timer callback are in other files. */
#ifndef CHAIN_H
#define CHAIN_H

#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/timer.h>

struct ch_dev {
	spinlock_t lock;
	struct mutex log_mutex;
	struct timer_list poll_timer;
	void *table;
	void *entry;
	size_t size;
	unsigned long irq_flags;
};

void ch_lock(struct ch_dev *dev);
void ch_unlock(struct ch_dev *dev);
int ch_rebuild(struct ch_dev *dev);
void ch_log_event(struct ch_dev *dev, int event);
void *ch_alloc_entry(struct ch_dev *dev, gfp_t gfp);
void ch_poll_timer(struct timer_list *t);

#endif
