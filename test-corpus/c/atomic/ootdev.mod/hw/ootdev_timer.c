// SPDX-License-Identifier: GPL-2.0
/*
 * The module's timer wrapper, used from its other files: the callback its callers pass runs in
 * softirq context, as if they had called timer_setup() themselves.
 */
#include <linux/timer.h>
#include <ootdev/ootdev.h>

void ootdev_init_timer(struct timer_list *t, void (*fn)(struct timer_list *))
{
	timer_setup(t, fn, 0);
}
