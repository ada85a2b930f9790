// SPDX-License-Identifier: GPL-2.0
/*
 * Callbacks the kernel runs in atomic context (docs/kernel-facts.md §4.6), found where the module
 * registers them; work items and threaded IRQ handlers run in process context (§4.4).
 */
#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/usb.h>
#include <linux/workqueue.h>

struct cb_dev {
	spinlock_t lock;
	struct tasklet_struct tasklet;
	struct timer_list timer;
	struct napi_struct napi;
	struct work_struct work;
	struct rcu_head rcu;
	struct urb *urb;
	struct mutex mtx;
	void *buf;
	size_t len;
};

static void *cb_alloc_buf(size_t len)
{
	return kzalloc(len, GFP_KERNEL);
}

/* Hard IRQ handler registered by request_irq. */
static irqreturn_t cb_irq_handler_bad(int irq, void *data)
{
	struct cb_dev *dev = data;

	dev->buf = cb_alloc_buf(dev->len); // expect: sleeping-alloc-in-atomic
	return IRQ_HANDLED;
}

static irqreturn_t cb_devm_irq_handler_bad(int irq, void *data)
{
	struct cb_dev *dev = data;

	mutex_lock(&dev->mtx); // expect: sleep-in-atomic
	mutex_unlock(&dev->mtx);
	return IRQ_HANDLED;
}

static irqreturn_t cb_irq_handler_ok(int irq, void *data)
{
	struct cb_dev *dev = data;

	dev->buf = kzalloc(dev->len, GFP_ATOMIC);
	return IRQ_HANDLED;
}

/* Threaded IRQ: the primary handler is hard IRQ, the thread function may sleep. */
static irqreturn_t cb_primary_bad(int irq, void *data)
{
	struct cb_dev *dev = data;

	dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	return IRQ_WAKE_THREAD;
}

static irqreturn_t cb_thread_fn_ok(int irq, void *data)
{
	struct cb_dev *dev = data;

	mutex_lock(&dev->mtx);
	dev->buf = kmalloc(dev->len, GFP_KERNEL);
	mutex_unlock(&dev->mtx);
	return IRQ_HANDLED;
}

/* Tasklet: softirq. */
static void cb_tasklet_bad(unsigned long data)
{
	struct cb_dev *dev = (struct cb_dev *)data;

	dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
}

/* Timer: softirq. */
static void cb_timer_bad(struct timer_list *t)
{
	struct cb_dev *dev = from_timer(dev, t, timer);

	dev->buf = cb_alloc_buf(dev->len); // expect: sleeping-alloc-in-atomic
	mod_timer(&dev->timer, jiffies + HZ);
}

static void cb_timer_ok(struct timer_list *t)
{
	struct cb_dev *dev = from_timer(dev, t, timer);

	dev->buf = kmalloc(dev->len, GFP_ATOMIC);
	schedule_work(&dev->work);
}

/* NAPI poll: softirq. */
static int cb_napi_poll_bad(struct napi_struct *napi, int budget)
{
	struct cb_dev *dev = container_of(napi, struct cb_dev, napi);

	dev->buf = kmalloc_array(budget, 64, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	napi_complete_done(napi, 0);
	return 0;
}

/* RCU callback: softirq, cannot block. */
static void cb_rcu_free_bad(struct rcu_head *head)
{
	struct cb_dev *dev = container_of(head, struct cb_dev, rcu);

	synchronize_rcu(); // expect: sleep-in-atomic
	kfree(dev);
}

static void cb_rcu_free_ok(struct rcu_head *head)
{
	struct cb_dev *dev = container_of(head, struct cb_dev, rcu);

	kfree(dev->buf);
	kfree(dev);
}

/* URB completion: interrupt context. */
static void cb_urb_complete_bad(struct urb *urb)
{
	struct cb_dev *dev = urb->context;

	usb_submit_urb(urb, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	dev->len = 0;
}

static void cb_urb_complete_ok(struct urb *urb)
{
	usb_submit_urb(urb, GFP_ATOMIC);
}

/* Work item: process context, sleeping is fine. */
static void cb_work_ok(struct work_struct *work)
{
	struct cb_dev *dev = container_of(work, struct cb_dev, work);

	mutex_lock(&dev->mtx);
	dev->buf = cb_alloc_buf(dev->len);
	mutex_unlock(&dev->mtx);
	msleep(5);
}

static int cb_probe(struct cb_dev *dev, struct device *d, struct net_device *ndev, int irq)
{
	int ret;

	dev->buf = cb_alloc_buf(dev->len);
	tasklet_init(&dev->tasklet, cb_tasklet_bad, (unsigned long)dev);
	timer_setup(&dev->timer, cb_timer_bad, 0);
	timer_setup(&dev->timer, cb_timer_ok, 0);
	netif_napi_add(ndev, &dev->napi, cb_napi_poll_bad);
	INIT_WORK(&dev->work, cb_work_ok);
	usb_fill_bulk_urb(dev->urb, NULL, 0, dev->buf, dev->len, cb_urb_complete_bad, dev);
	usb_fill_int_urb(dev->urb, NULL, 0, dev->buf, dev->len, cb_urb_complete_ok, dev, 1);
	ret = request_irq(irq, cb_irq_handler_bad, IRQF_SHARED, "cb", dev);
	if (ret)
		return ret;
	ret = request_irq(irq + 1, cb_irq_handler_ok, 0, "cb-ok", dev);
	if (ret)
		return ret;
	ret = devm_request_irq(d, irq + 2, cb_devm_irq_handler_bad, 0, "cb-devm", dev);
	if (ret)
		return ret;
	return request_threaded_irq(irq + 3, cb_primary_bad, cb_thread_fn_ok, IRQF_ONESHOT, "cb-thr",
				    dev);
}

static void cb_remove(struct cb_dev *dev)
{
	call_rcu(&dev->rcu, cb_rcu_free_bad);
	call_rcu(&dev->rcu, cb_rcu_free_ok);
}
