// SPDX-License-Identifier: GPL-2.0
/*
 * Another architecture's code: its own map_io() is a header macro
 * the scan does not see, so neither x86's nor UML's may answer.
 */
struct board { spinlock_t lock; void *regs; struct region *r; };

void board_setup(struct board *b, unsigned long phys)
{
	unsigned long flags;

	spin_lock_irqsave(&b->lock, flags);
	b->regs = map_io(phys, 4096);
	region_map(b->r, 4096);
	spin_unlock_irqrestore(&b->lock, flags);
}

void board_tables(struct board *b)
{
	spin_lock(&b->lock);
	b->regs = region_table(8);
	spin_unlock(&b->lock);
}
