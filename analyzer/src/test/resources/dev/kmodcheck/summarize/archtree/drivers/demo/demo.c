// SPDX-License-Identifier: GPL-2.0
/* A driver of any architecture mapping registers under its lock. */
struct demo { spinlock_t lock; void *regs; struct region *r; };

void demo_setup(struct demo *d, unsigned long phys)
{
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	d->regs = map_io(phys, 4096);
	spin_unlock_irqrestore(&d->lock, flags);
}

void demo_tables(struct demo *d)
{
	spin_lock(&d->lock);
	d->regs = region_table(8);
	spin_unlock(&d->lock);
}
