// SPDX-License-Identifier: GPL-2.0
/*
 * Calls that never return end their path (include/linux/panic.h: panic() is __noreturn): what a
 * function does after panic() or BUG() is dead code, and a chain through it is no evidence.
 */
#include <linux/interrupt.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

struct nr_dev {
	spinlock_t lock;
	struct mutex mtx;
	void *buf;
	int irq;
	int error;
};

/* The aic79xx hwerrint pattern: the cleanup after panic() never runs. */
static void nr_fatal(struct nr_dev *dev)
{
	panic("nr: fatal hardware error");

	mutex_lock(&dev->mtx);
	kfree(dev->buf);
	mutex_unlock(&dev->mtx);
}

static void nr_check(struct nr_dev *dev)
{
	if (dev->error > 3)
		BUG();
	else if (dev->error)
		return;
	mutex_lock(&dev->mtx);
	mutex_unlock(&dev->mtx);
}

static void nr_recover(struct nr_dev *dev)
{
	if (dev->error) {
		dev->buf = kmalloc(64, GFP_KERNEL);
		panic("nr: cannot recover");
	}
}

static irqreturn_t nr_irq(int irq, void *data)
{
	struct nr_dev *dev = data;

	if (dev->error > 10)
		nr_fatal(dev);
	nr_check(dev); // expect: sleep-in-atomic(conditional)
	nr_recover(dev); // expect: sleeping-alloc-in-atomic(conditional)
	return IRQ_HANDLED;
}

static int nr_probe(struct nr_dev *dev)
{
	return request_irq(dev->irq, nr_irq, 0, "nr", dev);
}
