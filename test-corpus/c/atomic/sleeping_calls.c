// SPDX-License-Identifier: GPL-2.0
/*
 * Sleeping calls, not allocations, under a spinlock (docs/kernel-facts.md §3.4): sleep-in-atomic.
 * A mutex is a sleeping lock, so sleeping under it is fine (§4.4).
 */
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/delay.h>
#include <linux/wait.h>

struct sc_dev {
	spinlock_t lock;
	struct mutex io_mutex;
	wait_queue_head_t waitq;
	struct completion done;
	char stats[64];
	int ready;
};

static void sc_mutex_under_spinlock_bad(struct sc_dev *dev)
{
	spin_lock(&dev->lock);
	mutex_lock(&dev->io_mutex); // expect: sleep-in-atomic
	mutex_unlock(&dev->io_mutex);
	spin_unlock(&dev->lock);
}

static void sc_spinlock_under_mutex_ok(struct sc_dev *dev)
{
	mutex_lock(&dev->io_mutex);
	spin_lock(&dev->lock);
	dev->ready = 0;
	spin_unlock(&dev->lock);
	mutex_unlock(&dev->io_mutex);
}

static void sc_msleep_bad(struct sc_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	while (!dev->ready)
		msleep(10); // expect: sleep-in-atomic
	spin_unlock_irqrestore(&dev->lock, flags);
}

static void sc_msleep_ok(struct sc_dev *dev)
{
	while (!READ_ONCE(dev->ready))
		msleep(10);
}

static long sc_copy_to_user_bad(struct sc_dev *dev, char __user *ubuf)
{
	long ret = 0;

	spin_lock(&dev->lock);
	if (copy_to_user(ubuf, dev->stats, sizeof(dev->stats))) // expect: sleep-in-atomic
		ret = -1;
	spin_unlock(&dev->lock);
	return ret;
}

static long sc_copy_to_user_ok(struct sc_dev *dev, char __user *ubuf)
{
	char snapshot[64];

	spin_lock(&dev->lock);
	memcpy(snapshot, dev->stats, sizeof(snapshot));
	spin_unlock(&dev->lock);
	if (copy_to_user(ubuf, snapshot, sizeof(snapshot)))
		return -1;
	return 0;
}

static int sc_wait_event_bad(struct sc_dev *dev)
{
	int ret;

	spin_lock(&dev->lock);
	ret = wait_event_interruptible(dev->waitq, dev->ready); // expect: sleep-in-atomic
	spin_unlock(&dev->lock);
	return ret;
}

static void sc_completion_bad(struct sc_dev *dev)
{
	rcu_read_lock();
	wait_for_completion(&dev->done); // expect: sleep-in-atomic
	rcu_read_unlock();
}

static int sc_wait_event_ok(struct sc_dev *dev)
{
	return wait_event_interruptible(dev->waitq, dev->ready);
}

static void sc_mutex_trylock_ok(struct sc_dev *dev)
{
	spin_lock(&dev->lock);
	if (mutex_trylock(&dev->io_mutex))
		mutex_unlock(&dev->io_mutex);
	spin_unlock(&dev->lock);
}
