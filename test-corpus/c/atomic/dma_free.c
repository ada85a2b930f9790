// SPDX-License-Identifier: GPL-2.0
/*
 * dma_free_coherent() does not sleep under a plain spinlock; it must not run with interrupts
 * disabled (WARN_ON(irqs_disabled())) or in interrupt context (docs/kernel-facts.md §3.1, §5.5).
 */
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/spinlock.h>

struct df_ring {
	struct device *dev;
	spinlock_t lock;
	void *virt;
	dma_addr_t phys;
	size_t size;
	int irq;
	struct tasklet_struct tasklet;
};

static void df_free_ring(struct df_ring *r)
{
	dma_free_coherent(r->dev, r->size, r->virt, r->phys);
	r->virt = NULL;
}

static void df_plain_spinlock_ok(struct df_ring *r)
{
	spin_lock(&r->lock);
	dma_free_coherent(r->dev, r->size, r->virt, r->phys);
	spin_unlock(&r->lock);
}

static void df_bh_helper_ok(struct df_ring *r)
{
	spin_lock_bh(&r->lock);
	df_free_ring(r);
	spin_unlock_bh(&r->lock);
}

static void df_irqsave_bad(struct df_ring *r)
{
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	dma_free_coherent(r->dev, r->size, r->virt, r->phys); // expect: sleep-in-atomic
	spin_unlock_irqrestore(&r->lock, flags);
}

static void df_irq_helper_bad(struct df_ring *r)
{
	spin_lock_irq(&r->lock);
	df_free_ring(r); // expect: sleep-in-atomic
	spin_unlock_irq(&r->lock);
}

static irqreturn_t df_irq(int irq, void *data)
{
	struct df_ring *r = data;

	df_free_ring(r); // expect: sleep-in-atomic
	return IRQ_HANDLED;
}

/* A tasklet runs with interrupts enabled: no WARN, no sleep. */
static void df_tasklet_fn(struct tasklet_struct *t)
{
	struct df_ring *r = from_tasklet(r, t, tasklet);

	df_free_ring(r);
}

/* A tasklet that disables interrupts around the free: the irqsave is what makes it wrong. */
static void df_tasklet_irqsave_fn(struct tasklet_struct *t)
{
	struct df_ring *r = from_tasklet(r, t, tasklet);
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	df_free_ring(r); // expect: sleep-in-atomic
	spin_unlock_irqrestore(&r->lock, flags);
}

static int df_setup(struct df_ring *r)
{
	df_plain_spinlock_ok(r);
	df_bh_helper_ok(r);
	df_irqsave_bad(r);
	df_irq_helper_bad(r);
	tasklet_setup(&r->tasklet, df_tasklet_fn);
	tasklet_setup(&r->tasklet, df_tasklet_irqsave_fn);
	return request_irq(r->irq, df_irq, 0, "df", r);
}
