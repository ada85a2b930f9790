// SPDX-License-Identifier: GPL-2.0
/*
 * The module's main file: its own header comes through the Makefile's -I$(src)/include, the ring
 * size through its -D; version checks in all four operand orders hold a bug only in the branch a
 * 6.12 build compiles; ioctl numbers are _IO/_IOR/_IOW; a timer is registered through the
 * module's own wrapper in hw/ootdev_timer.c.
 */
#include <linux/version.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <ootdev/ootdev.h>

static int ootdev_alloc_ring(struct ootdev *dev)
{
	dev->ring = kmalloc(OOTDEV_RING_ENTRIES * sizeof(struct ootdev_desc), GFP_KERNEL); // expect: kmalloc-costly-order
	return dev->ring ? 0 : -ENOMEM;
}

static int ootdev_alloc_cfgs_ok(struct ootdev *dev)
{
	dev->scratch = kmalloc(OOTDEV_RING_ENTRIES * sizeof(struct ootdev_cfg), GFP_KERNEL);
	return dev->scratch ? 0 : -ENOMEM;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 6, 0)
static long ootdev_set_cfg(struct ootdev *dev, unsigned long arg)
{
	struct ootdev_cfg cfg;

	spin_lock(&dev->lock);
	if (copy_from_user(&cfg, (void __user *)arg, sizeof(cfg))) { // expect: sleep-in-atomic
		spin_unlock(&dev->lock);
		return -EFAULT;
	}
	dev->cfg = cfg;
	spin_unlock(&dev->lock);
	return 0;
}
#else
static long ootdev_set_cfg(struct ootdev *dev, unsigned long arg)
{
	struct ootdev_cfg cfg;

	if (copy_from_user(&cfg, (void __user *)arg, sizeof(cfg)))
		return -EFAULT;
	spin_lock(&dev->lock);
	dev->cfg = cfg;
	spin_unlock(&dev->lock);
	return 0;
}
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 6, 0)
static long ootdev_get_cfg(struct ootdev *dev, unsigned long arg)
{
	return copy_to_user((void __user *)arg, &dev->cfg, sizeof(dev->cfg)) ? -EFAULT : 0;
}
#else
static long ootdev_get_cfg(struct ootdev *dev, unsigned long arg)
{
	long ret = 0;

	spin_lock(&dev->lock);
	if (copy_to_user((void __user *)arg, &dev->cfg, sizeof(dev->cfg))) // expect: sleep-in-atomic
		ret = -EFAULT;
	spin_unlock(&dev->lock);
	return ret;
}
#endif

#if KERNEL_VERSION(5, 6, 0) <= LINUX_VERSION_CODE
static void ootdev_reset(struct ootdev *dev)
{
	spin_lock(&dev->lock);
	kfree(dev->scratch);
	dev->scratch = kzalloc(64, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock(&dev->lock);
}
#else
static void ootdev_reset(struct ootdev *dev)
{
	spin_lock(&dev->lock);
	kfree(dev->scratch);
	spin_unlock(&dev->lock);
	dev->scratch = kzalloc(64, GFP_KERNEL);
}
#endif

#if KERNEL_VERSION(5, 6, 0) > LINUX_VERSION_CODE
static void ootdev_release(struct ootdev *dev)
{
	kfree(dev->ring);
}
#else
static void ootdev_release(struct ootdev *dev)
{
	spin_lock(&dev->lock);
	kfree(dev->ring);
	dev->ring = vmalloc(64); // expect: vmalloc-in-atomic, vmalloc-small-size
	spin_unlock(&dev->lock);
}
#endif

long ootdev_ioctl(struct ootdev *dev, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case OOTDEV_IOC_RESET:
		ootdev_reset(dev);
		ootdev_release(dev);
		return ootdev_alloc_ring(dev) ?: ootdev_alloc_cfgs_ok(dev);
	case OOTDEV_IOC_SET_CFG:
		return ootdev_set_cfg(dev, arg);
	case OOTDEV_IOC_GET_CFG:
		return ootdev_get_cfg(dev, arg);
	}
	return -ENOTTY;
}

static void ootdev_watchdog(struct timer_list *t)
{
	struct ootdev *dev = from_timer(dev, t, watchdog);
	void *snap = kmalloc(sizeof(dev->cfg), GFP_KERNEL); // expect: sleeping-alloc-in-atomic

	kfree(snap);
}

static void ootdev_poll_ok(struct timer_list *t)
{
	struct ootdev *dev = from_timer(dev, t, watchdog);

	dev->scratch = kmalloc(sizeof(dev->cfg), GFP_ATOMIC);
}

void ootdev_start(struct ootdev *dev)
{
	ootdev_init_timer(&dev->watchdog, ootdev_watchdog);
	mod_timer(&dev->watchdog, jiffies + HZ);
}

void ootdev_poll(struct ootdev *dev)
{
	ootdev_init_timer(&dev->watchdog, ootdev_poll_ok);
}
