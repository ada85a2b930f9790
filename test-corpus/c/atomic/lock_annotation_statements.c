// SPDX-License-Identifier: GPL-2.0
/*
 * sparse's lock annotations written as statements at the top of a body instead of after the
 * declarator: the caller holds the lock when the function runs, as with the attribute form. One
 * written later in the body only says the lock is held there.
 */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>

struct las_dev {
	spinlock_t lock;
	struct mutex mtx;
	void *buf;
	size_t len;
	int state;
};

static void las_refill_locked_bad(struct las_dev *dev)
{
	__must_hold(&dev->lock);

	dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
}

static void las_wait_locked_bad(struct las_dev *dev)
{
	size_t len = dev->len;

	__must_hold(&dev->lock);
	dev->state = len;
	mutex_lock(&dev->mtx); // expect: sleep-in-atomic
	mutex_unlock(&dev->mtx);
}

/* A held mutex is no atomic context. */
static void las_mutex_held_ok(struct las_dev *dev)
{
	__must_hold(&dev->mtx);

	dev->buf = kmalloc(dev->len, GFP_KERNEL);
}

/* The allocation comes before the lock; the annotation is about the code after it. */
static void las_later_ok(struct las_dev *dev)
{
	dev->buf = kmalloc(dev->len, GFP_KERNEL);
	spin_lock(&dev->lock);
	__must_hold(&dev->lock);
	dev->state = 1;
	spin_unlock(&dev->lock);
}

void las_run(struct las_dev *dev)
{
	las_mutex_held_ok(dev);
	las_later_ok(dev);
	spin_lock(&dev->lock);
	las_refill_locked_bad(dev);
	las_wait_locked_bad(dev);
	spin_unlock(&dev->lock);
}
