// SPDX-License-Identifier: GPL-2.0
/*
 * Chains that depend on conditions: constant arguments followed through several calls, flag
 * combinations with an early return, error codes, run-time device state the analysis cannot
 * decide (graded conditional), reference puts that are not the last, and one finding per call
 * site when a helper both allocates and takes a mutex.
 */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/delay.h>
#include <linux/refcount.h>

#define CD_WAIT		0x1
#define CD_NOSEND	0x2
#define CD_URGENT	0x4

struct cd_dev {
	spinlock_t lock;
	struct mutex mtx;
	struct completion done;
	refcount_t refs;
	bool virt_mode;
	bool ring_ready;
	int state;
	void *buf;
};

/* Three calls deep: only CD_WAIT makes cd_xfer() wait, and CD_NOSEND returns before. */
static int cd_xfer(struct cd_dev *dev, unsigned int flags)
{
	if (flags & CD_NOSEND)
		return 0;
	if (flags & CD_WAIT)
		wait_for_completion(&dev->done);
	return 0;
}

static int cd_request(struct cd_dev *dev, unsigned int flags)
{
	return cd_xfer(dev, flags);
}

static int cd_send(struct cd_dev *dev, unsigned int flags)
{
	return cd_request(dev, flags | CD_URGENT);
}

static void cd_send_async_ok(struct cd_dev *dev)
{
	spin_lock(&dev->lock);
	cd_send(dev, 0);
	spin_unlock(&dev->lock);
}

/*
 * Known false alarm: a call keeps one guard, the nearest test (flags & CD_WAIT), so the early
 * return for CD_NOSEND before it is not combined with it and this caller is still reported.
 */
static void cd_send_nosend_false_alarm(struct cd_dev *dev)
{
	spin_lock(&dev->lock);
	cd_send(dev, CD_NOSEND | CD_WAIT); // expect: sleep-in-atomic
	spin_unlock(&dev->lock);
}

static void cd_send_sync_bad(struct cd_dev *dev)
{
	spin_lock(&dev->lock);
	cd_send(dev, CD_WAIT); // expect: sleep-in-atomic
	spin_unlock(&dev->lock);
}

/* The caller's flags come from a variable: the chain is real only if CD_WAIT is set. */
static void cd_send_unknown_bad(struct cd_dev *dev, unsigned int *mode)
{
	spin_lock(&dev->lock);
	cd_send(dev, *mode); // expect: sleep-in-atomic(conditional)
	spin_unlock(&dev->lock);
}

/* A literal 0 or a positive delay given to a helper that sleeps only for a positive one. */
static void cd_settle(struct cd_dev *dev, int delay_ms)
{
	if (delay_ms > 0)
		msleep(delay_ms);
}

static void cd_settle_zero_ok(struct cd_dev *dev)
{
	spin_lock(&dev->lock);
	cd_settle(dev, 0);
	spin_unlock(&dev->lock);
}

static void cd_settle_positive_bad(struct cd_dev *dev)
{
	spin_lock(&dev->lock);
	cd_settle(dev, 20); // expect: sleep-in-atomic
	spin_unlock(&dev->lock);
}

/* An error report that records the reason (and so sleeps) only for a deferred probe. */
static int cd_report(struct cd_dev *dev, int err)
{
	if (err == -EPROBE_DEFER) {
		mutex_lock(&dev->mtx);
		dev->state = err;
		mutex_unlock(&dev->mtx);
	}
	return err;
}

static int cd_report_timeout_ok(struct cd_dev *dev)
{
	int ret;

	spin_lock(&dev->lock);
	ret = cd_report(dev, -ETIMEDOUT);
	spin_unlock(&dev->lock);
	return ret;
}

static int cd_report_defer_bad(struct cd_dev *dev)
{
	int ret;

	spin_lock(&dev->lock);
	ret = cd_report(dev, -EPROBE_DEFER); // expect: sleep-in-atomic
	spin_unlock(&dev->lock);
	return ret;
}

/*
 * A register accessor used everywhere that goes through a mailbox (and a mutex) only in a
 * virtualised mode with its ring up: device state no caller decides. Each call site is graded
 * conditional and all share one root cause.
 */
static void cd_mbox_write(struct cd_dev *dev, u32 reg, u32 val)
{
	mutex_lock(&dev->mtx);
	dev->state = val;
	mutex_unlock(&dev->mtx);
}

static void cd_wreg(struct cd_dev *dev, u32 reg, u32 val)
{
	if (dev->virt_mode && dev->ring_ready)
		cd_mbox_write(dev, reg, val);
	else
		dev->state = reg;
}

/* A parameter test beside device state: the flag decides alone only when it rules the call out. */
static void cd_rreg(struct cd_dev *dev, u32 reg, u32 acc_flags)
{
	if (!(acc_flags & CD_NOSEND) && dev->virt_mode && dev->ring_ready)
		cd_mbox_write(dev, reg, 0);
}

static void cd_poll_bad(struct cd_dev *dev)
{
	spin_lock(&dev->lock);
	cd_rreg(dev, 0x20, 0); // expect: sleep-in-atomic(conditional)
	cd_rreg(dev, 0x24, CD_NOSEND);
	spin_unlock(&dev->lock);
}

static void cd_irq_ack_bad(struct cd_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	cd_wreg(dev, 0x10, 1); // expect: sleep-in-atomic(conditional)
	cd_wreg(dev, 0x14, 0); // expect: sleep-in-atomic(conditional)
	spin_unlock_irqrestore(&dev->lock, flags);
}

/* A put whose release sleeps runs the release only when the last reference goes. */
static void cd_release(struct cd_dev *dev)
{
	mutex_lock(&dev->mtx);
	kfree(dev->buf);
	mutex_unlock(&dev->mtx);
}

static void cd_put(struct cd_dev *dev)
{
	if (refcount_dec_and_test(&dev->refs))
		cd_release(dev);
}

static void cd_put_locked_bad(struct cd_dev *dev)
{
	spin_lock(&dev->lock);
	cd_put(dev); // expect: sleep-in-atomic(conditional)
	spin_unlock(&dev->lock);
}

/* One call site, one finding: the allocation, not also the mutex, of the same helper. */
static void *cd_grow(struct cd_dev *dev, size_t len)
{
	void *p = kzalloc(len, GFP_KERNEL);

	mutex_lock(&dev->mtx);
	dev->buf = p;
	mutex_unlock(&dev->mtx);
	return p;
}

static void cd_grow_locked_bad(struct cd_dev *dev)
{
	spin_lock(&dev->lock);
	cd_grow(dev, 64); // expect: sleeping-alloc-in-atomic
	spin_unlock(&dev->lock);
}

/* A NULL check of a pointer is the normal path, not a condition. */
static void cd_flush(struct cd_dev *dev)
{
	if (!dev)
		return;
	if (dev->buf)
		msleep(1);
}

static void cd_flush_locked_bad(struct cd_dev *dev)
{
	spin_lock(&dev->lock);
	cd_flush(dev); // expect: sleep-in-atomic
	spin_unlock(&dev->lock);
}

/*
 * Correlated conditions: the lock is dropped under "if (flags)", so the wait, which needs a flag
 * bit, only runs after the unlock; with no flags the lock is kept and there is no wait.
 */
static int cd_submit_ok(struct cd_dev *dev, unsigned int flags)
{
	unsigned long irqf;

	spin_lock_irqsave(&dev->lock, irqf);
	dev->state++;
	if (flags)
		spin_unlock_irqrestore(&dev->lock, irqf);
	if (flags & CD_WAIT)
		wait_for_completion(&dev->done);
	if (!flags)
		spin_unlock_irqrestore(&dev->lock, irqf);
	return 0;
}

static int cd_submit_bad(struct cd_dev *dev, unsigned int flags)
{
	unsigned long irqf;

	spin_lock_irqsave(&dev->lock, irqf);
	if (flags & CD_WAIT)
		wait_for_completion(&dev->done); // expect: sleep-in-atomic
	spin_unlock_irqrestore(&dev->lock, irqf);
	return 0;
}

/* A condition that calls through a function pointer is run-time state like any other. */
struct cd_ops {
	bool (*busy)(struct cd_dev *dev);
};

static void cd_drain(struct cd_dev *dev, const struct cd_ops *ops)
{
	if (ops->busy(dev))
		msleep(5);
}

static void cd_drain_locked_bad(struct cd_dev *dev, const struct cd_ops *ops)
{
	spin_lock(&dev->lock);
	cd_drain(dev, ops); // expect: sleep-in-atomic(conditional)
	spin_unlock(&dev->lock);
}

/* cond_resched_rcu() leaves the RCU read-side section around its reschedule. */
static void cd_walk_ok(struct cd_dev *dev)
{
	int i;

	rcu_read_lock();
	for (i = 0; i < 1024; i++) {
		dev->state += i;
		cond_resched_rcu();
	}
	rcu_read_unlock();
}

static void cd_walk_locked_bad(struct cd_dev *dev)
{
	spin_lock(&dev->lock);
	rcu_read_lock();
	cond_resched_rcu(); // expect: sleep-in-atomic
	rcu_read_unlock();
	spin_unlock(&dev->lock);
}
