// SPDX-License-Identifier: GPL-2.0
/* Helpers used under the device lock by chain_main.c, and the lock wrappers themselves. */
#include <linux/slab.h>
#include "chain.h"

void ch_lock(struct ch_dev *dev)
{
	spin_lock_irqsave(&dev->lock, dev->irq_flags);
}

void ch_unlock(struct ch_dev *dev)
{
	spin_unlock_irqrestore(&dev->lock, dev->irq_flags);
}

static void ch_log_write(struct ch_dev *dev, int event)
{
	mutex_lock(&dev->log_mutex);
	dev->size += event;
	mutex_unlock(&dev->log_mutex);
}

void ch_log_event(struct ch_dev *dev, int event)
{
	if (event)
		ch_log_write(dev, event);
}

void *ch_alloc_entry(struct ch_dev *dev, gfp_t gfp)
{
	return kmalloc(dev->size, gfp);
}
