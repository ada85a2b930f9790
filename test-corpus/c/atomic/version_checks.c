// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel version checks written in every operand order, and an API-generation feature test: a
 * header-less scan reads the module as built for --kernel-version (default 6.12), so only the
 * new-kernel branches are analysed and their bugs found. The old branches hold the same bugs;
 * they must not be parsed (a finding there would be on an unmarked line).
 */
#include <linux/version.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/spinlock.h>

struct vc_dev {
	spinlock_t lock;
	struct timer_list timer;
	void *buf;
	size_t len;
};

#if defined(timer_setup) && defined(from_timer)
#define VC_HAVE_TIMER_SETUP
#endif

#if KERNEL_VERSION(5, 10, 0) <= LINUX_VERSION_CODE
static void vc_fill_bad(struct vc_dev *dev)
{
	spin_lock(&dev->lock);
	dev->buf = kzalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock(&dev->lock);
}
#else
static void vc_fill_bad(struct vc_dev *dev)
{
	spin_lock(&dev->lock);
	dev->buf = kzalloc(dev->len, GFP_KERNEL);
	spin_unlock(&dev->lock);
}
#endif

#if KERNEL_VERSION(5, 10, 0) > LINUX_VERSION_CODE
static void vc_drain(struct vc_dev *dev)
{
	spin_lock(&dev->lock);
	kfree(dev->buf);
	dev->buf = kmalloc(dev->len, GFP_KERNEL);
	spin_unlock(&dev->lock);
}
#else
static void vc_drain(struct vc_dev *dev)
{
	spin_lock(&dev->lock);
	kfree(dev->buf);
	dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock(&dev->lock);
}
#endif

#if LINUX_VERSION_CODE > KERNEL_VERSION(5, 4, 0)
static void vc_reset_ok(struct vc_dev *dev)
{
	spin_lock(&dev->lock);
	dev->buf = kzalloc(dev->len, GFP_ATOMIC);
	spin_unlock(&dev->lock);
}
#else
static void vc_reset_ok(struct vc_dev *dev)
{
	spin_lock(&dev->lock);
	dev->buf = kzalloc(dev->len, GFP_KERNEL);
	spin_unlock(&dev->lock);
}
#endif

#if LINUX_VERSION_CODE <= KERNEL_VERSION(5, 4, 0)
static void vc_grow(struct vc_dev *dev)
{
	spin_lock(&dev->lock);
	dev->buf = krealloc(dev->buf, dev->len, GFP_KERNEL);
	spin_unlock(&dev->lock);
}
#else
static void vc_grow(struct vc_dev *dev)
{
	spin_lock(&dev->lock);
	dev->buf = krealloc(dev->buf, dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock(&dev->lock);
}
#endif

#ifdef VC_HAVE_TIMER_SETUP
static void vc_tick_bad(struct timer_list *t)
{
	struct vc_dev *dev = from_timer(dev, t, timer);

	dev->buf = kzalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
}
#else
static void vc_tick_bad(unsigned long data)
{
}
#endif

void vc_start(struct vc_dev *dev)
{
	vc_fill_bad(dev);
	vc_drain(dev);
	vc_reset_ok(dev);
	vc_grow(dev);
#ifdef VC_HAVE_TIMER_SETUP
	timer_setup(&dev->timer, vc_tick_bad, 0);
#else
	setup_timer(&dev->timer, vc_tick_bad, (unsigned long)dev);
#endif
}
