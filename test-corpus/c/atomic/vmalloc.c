// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc in atomic context: the vmalloc family always may sleep, whatever the flags
 * (docs/kernel-facts.md §3.1); kvmalloc falls back to it only if flags block (§1.11). Freeing is
 * in vfree.c.
 */
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/spinlock.h>
#include <linux/interrupt.h>

struct vm_dev {
	spinlock_t lock;
	struct tasklet_struct tasklet;
	void *table;
	void *old_table;
	size_t size;
};

static void vm_vmalloc_bad(struct vm_dev *dev)
{
	spin_lock(&dev->lock);
	dev->table = vmalloc(dev->size); // expect: vmalloc-in-atomic
	spin_unlock(&dev->lock);
}

static void vm_vzalloc_bad(struct vm_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	dev->table = vzalloc(dev->size); // expect: vmalloc-in-atomic
	spin_unlock_irqrestore(&dev->lock, flags);
}

/* __vmalloc sleeps even with GFP_ATOMIC: alloc_vmap_area() has an unconditional might_sleep(). */
static void vm_vmalloc_gfp_atomic_bad(struct vm_dev *dev)
{
	spin_lock(&dev->lock);
	dev->table = __vmalloc(dev->size, GFP_ATOMIC); // expect: vmalloc-in-atomic
	spin_unlock(&dev->lock);
}

static void vm_vmalloc_ok(struct vm_dev *dev)
{
	void *table = vzalloc(dev->size);

	spin_lock(&dev->lock);
	dev->table = table;
	spin_unlock(&dev->lock);
}

/* kvmalloc with blocking flags falls back to vmalloc. */
static void vm_kvmalloc_kernel_bad(struct vm_dev *dev)
{
	spin_lock(&dev->lock);
	dev->table = kvmalloc(dev->size, GFP_KERNEL); // expect: vmalloc-in-atomic
	spin_unlock(&dev->lock);
}

static void vm_kvcalloc_kernel_bad(struct vm_dev *dev)
{
	spin_lock_bh(&dev->lock);
	dev->table = kvcalloc(dev->size, 16, GFP_KERNEL); // expect: vmalloc-in-atomic
	spin_unlock_bh(&dev->lock);
}

/* With GFP_ATOMIC kvmalloc does not sleep, but it never falls back to vmalloc. */
static void vm_kvmalloc_atomic_warn_ok(struct vm_dev *dev)
{
	spin_lock(&dev->lock);
	dev->table = kvmalloc(dev->size, GFP_ATOMIC); // expect: kvmalloc-nonblocking-gfp
	spin_unlock(&dev->lock);
}

static void vm_kvmalloc_process_ok(struct vm_dev *dev)
{
	dev->table = kvmalloc(dev->size, GFP_KERNEL);
}

/* A tasklet runs in softirq context: vmalloc there is a bug. */
static void vm_tasklet_alloc_bad(struct tasklet_struct *t)
{
	struct vm_dev *dev = from_tasklet(dev, t, tasklet);

	dev->table = vmalloc(dev->size); // expect: vmalloc-in-atomic
}

/* vmap maps pages into the vmalloc area and may sleep (§3.1). */
static void vm_vmap_bad(struct vm_dev *dev, struct page **pages, unsigned int count)
{
	spin_lock(&dev->lock);
	dev->table = vmap(pages, count, VM_MAP, PAGE_KERNEL); // expect: vmalloc-in-atomic
	spin_unlock(&dev->lock);
}

static void vm_setup(struct tasklet_struct *t)
{
	tasklet_setup(t, vm_tasklet_alloc_bad);
}
