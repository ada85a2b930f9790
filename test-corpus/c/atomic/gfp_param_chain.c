// SPDX-License-Identifier: GPL-2.0
/* GFP flags handed down through two helpers' gfp parameters reach the allocation. */
#include <linux/slab.h>
#include <linux/spinlock.h>

struct gp_dev {
	spinlock_t lock;
	size_t len;
};

static void *gp_inner(size_t len, gfp_t gfp)
{
	return kmalloc(len, gfp);
}

static void *gp_outer(size_t len, gfp_t gfp)
{
	return gp_inner(len, gfp);
}

static void gp_fill(struct gp_dev *d)
{
	spin_lock(&d->lock);
	gp_outer(d->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock(&d->lock);
}
