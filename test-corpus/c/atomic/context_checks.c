// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers checking context before sleeping (docs/kernel-facts.md §4.1), and helpers whose sleep
 * depends on a parameter: a caller holding a spinlock is not blamed for a sleep the helper
 * avoids when it finds itself atomic, nor for one its argument rules out.
 */
#include <linux/delay.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

struct cc_dev {
	spinlock_t idx_lock;
	struct mutex mtx;
	int in_reset;
	int pending;
};

/* The amdgpu KIQ pattern: give up instead of waiting in interrupt context. */
static void cc_kiq_write(struct cc_dev *dev, int r)
{
	if (r < 1 && (dev->in_reset || in_interrupt()))
		goto failed;
	might_sleep();
	while (r < 1 && dev->pending--)
		msleep(10);
	return;
failed:
	pr_err("cc: kiq write failed\n");
}

static void cc_checked_ok(struct cc_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->idx_lock, flags);
	cc_kiq_write(dev, 0);
	spin_unlock_irqrestore(&dev->idx_lock, flags);
}

static void cc_wait_if_preemptible(struct cc_dev *dev)
{
	if (!preemptible())
		return;
	mutex_lock(&dev->mtx);
	mutex_unlock(&dev->mtx);
}

static void cc_preemptible_ok(struct cc_dev *dev)
{
	spin_lock(&dev->idx_lock);
	cc_wait_if_preemptible(dev);
	spin_unlock(&dev->idx_lock);
}

/* Tests the context only after it slept: no excuse. */
static void cc_checks_too_late(struct cc_dev *dev)
{
	msleep(1);
	if (in_interrupt())
		return;
	dev->pending = 0;
}

static void cc_checks_too_late_bad(struct cc_dev *dev)
{
	spin_lock(&dev->idx_lock);
	cc_checks_too_late(dev); // expect: sleep-in-atomic
	spin_unlock(&dev->idx_lock);
}

/* Sleeps on both outcomes of the test. */
static void cc_both_ways(struct cc_dev *dev)
{
	if (irqs_disabled())
		dev->pending = 0;
	msleep(1);
}

static void cc_both_ways_bad(struct cc_dev *dev)
{
	spin_lock(&dev->idx_lock);
	cc_both_ways(dev); // expect: sleep-in-atomic
	spin_unlock(&dev->idx_lock);
}

/* Sleeps only when asked to wait (the qla2xxx bsg-done pattern). */
static void cc_done(struct cc_dev *dev, int delay)
{
	if (delay)
		msleep(delay);
	dev->pending = 0;
}

static void cc_done_no_delay(struct cc_dev *dev)
{
	cc_done(dev, 0);
}

static void cc_no_delay_ok(struct cc_dev *dev)
{
	spin_lock(&dev->idx_lock);
	cc_done_no_delay(dev);
	spin_unlock(&dev->idx_lock);
}

static void cc_delay_bad(struct cc_dev *dev)
{
	spin_lock(&dev->idx_lock);
	cc_done(dev, 1); // expect: sleep-in-atomic
	spin_unlock(&dev->idx_lock);
}

/* The i915 busy-loop pattern: the context check kept in a local. */
static int cc_send_busy_loop(struct cc_dev *dev, bool loop)
{
	bool not_atomic = !in_atomic() && !irqs_disabled();

	if (loop && not_atomic)
		msleep(1);
	else
		cpu_relax();
	return 0;
}

static void cc_busy_loop_ok(struct cc_dev *dev)
{
	spin_lock_irq(&dev->idx_lock);
	cc_send_busy_loop(dev, true);
	spin_unlock_irq(&dev->idx_lock);
}

/* The same check tested again on every retry: the atomic outcome busy-waits and retries. */
static int cc_send_nb(struct cc_dev *dev);

static int cc_send_retry(struct cc_dev *dev, bool loop)
{
	bool not_atomic = !in_atomic() && !irqs_disabled();
	int err;

retry:
	err = cc_send_nb(dev);
	if (err == -EBUSY && loop) {
		if (likely(not_atomic))
			msleep(1);
		else
			cpu_relax();
		goto retry;
	}
	return err;
}

static void cc_send_retry_ok(struct cc_dev *dev)
{
	spin_lock_irq(&dev->idx_lock);
	cc_send_retry(dev, true);
	spin_unlock_irq(&dev->idx_lock);
}
