// SPDX-License-Identifier: GPL-2.0
/* A timer callback registered by chain_main.c: it runs in softirq context. */
#include "chain.h"

void ch_poll_timer(struct timer_list *t)
{
	struct ch_dev *dev = from_timer(dev, t, poll_timer);

	ch_log_event(dev, 1); // expect: sleep-in-atomic
	ch_rebuild(dev); // expect: vmalloc-in-atomic
	mod_timer(&dev->poll_timer, jiffies + HZ);
}
