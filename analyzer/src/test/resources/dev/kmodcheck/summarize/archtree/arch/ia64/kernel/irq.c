// SPDX-License-Identifier: GPL-2.0
/* That architecture's own caller reaches its own map_io(). */
struct chip { spinlock_t lock; void *regs; };

void chip_setup(struct chip *c, unsigned long phys)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	c->regs = map_io(phys, 4096);
	spin_unlock_irqrestore(&c->lock, flags);
}
