// SPDX-License-Identifier: GPL-2.0
/*
 * vfree and co. in atomic context (docs/kernel-facts.md §3.2): vfree sleeps only outside interrupt
 * context, so it is a bug under spin_lock in process context (sleep-in-atomic) but fine in a
 * tasklet or under spin_lock_bh, where in_interrupt() makes it defer the work; vfree_atomic is
 * fine everywhere but NMI; vunmap must never be called in atomic context.
 */
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/spinlock.h>
#include <linux/interrupt.h>

struct vf_dev {
	spinlock_t lock;
	struct tasklet_struct tasklet;
	void *table;
	void *old_table;
};

/* vfree with a spinlock held in process context may sleep. */
static void vf_vfree_spin_lock_bad(struct vf_dev *dev)
{
	spin_lock(&dev->lock);
	vfree(dev->old_table); // expect: sleep-in-atomic
	dev->old_table = NULL;
	spin_unlock(&dev->lock);
}

static void vf_kvfree_irqsave_bad(struct vf_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	kvfree(dev->old_table); // expect: sleep-in-atomic
	spin_unlock_irqrestore(&dev->lock, flags);
}

/* With bottom halves disabled in_interrupt() is true: vfree defers the work (§3.2). */
static void vf_vfree_spin_lock_bh_ok(struct vf_dev *dev)
{
	spin_lock_bh(&dev->lock);
	vfree(dev->old_table);
	spin_unlock_bh(&dev->lock);
}

static void vf_vfree_atomic_ok(struct vf_dev *dev)
{
	spin_lock(&dev->lock);
	vfree_atomic(dev->old_table);
	spin_unlock(&dev->lock);
}

static void vf_vfree_after_unlock_ok(struct vf_dev *dev)
{
	void *old;

	spin_lock(&dev->lock);
	old = dev->old_table;
	dev->old_table = NULL;
	spin_unlock(&dev->lock);
	vfree(old);
}

/* A tasklet runs in softirq context: vfree is deferred. */
static void vf_tasklet_fn_ok(struct tasklet_struct *t)
{
	struct vf_dev *dev = from_tasklet(dev, t, tasklet);

	vfree(dev->old_table);
	dev->old_table = NULL;
}

static void vf_tasklet_free_locked_ok(struct tasklet_struct *t)
{
	struct vf_dev *dev = from_tasklet(dev, t, tasklet);

	/* Still in softirq: in_interrupt() holds under the extra lock too. */
	spin_lock(&dev->lock);
	vfree(dev->old_table);
	spin_unlock(&dev->lock);
}

/* vunmap: BUG_ON(in_interrupt()) and might_sleep() (§3.2). */
static void vf_vunmap_bad(struct vf_dev *dev)
{
	spin_lock(&dev->lock);
	vunmap(dev->table); // expect: sleep-in-atomic
	spin_unlock(&dev->lock);
}

static void vf_setup(struct vf_dev *dev, struct tasklet_struct *other)
{
	tasklet_setup(&dev->tasklet, vf_tasklet_fn_ok);
	tasklet_setup(other, vf_tasklet_free_locked_ok);
}
