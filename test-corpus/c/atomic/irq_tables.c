// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt handlers kept in tables of the module's own and registered by a loop over the table:
 * by index into a named table (designated and positional initializers), by a pointer walking a
 * table, and through a helper that takes the table as a parameter. A table of another type with
 * a member of the same name, never registered, holds process-context functions.
 */
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct it_dev {
	struct mutex lock;
	void *buf;
	size_t len;
};

struct it_irq {
	int irq;
	const char *name;
	irqreturn_t (*handler)(int irq, void *data);
};

struct it_vec {
	unsigned int nr;
	irq_handler_t isr;
};

struct it_cmd {
	const char *name;
	irqreturn_t (*handler)(int irq, void *data);
};

static irqreturn_t it_rx_bad(int irq, void *data)
{
	struct it_dev *dev = data;

	dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	return IRQ_HANDLED;
}

static irqreturn_t it_tx_ok(int irq, void *data)
{
	struct it_dev *dev = data;

	dev->buf = kmalloc(dev->len, GFP_ATOMIC);
	return IRQ_HANDLED;
}

static irqreturn_t it_err_bad(int irq, void *data)
{
	struct it_dev *dev = data;

	mutex_lock(&dev->lock); // expect: sleep-in-atomic
	mutex_unlock(&dev->lock);
	return IRQ_HANDLED;
}

static irqreturn_t it_vec_bad(int irq, void *data)
{
	struct it_dev *dev = data;

	dev->buf = vmalloc(dev->len); // expect: vmalloc-in-atomic
	return IRQ_HANDLED;
}

static irqreturn_t it_vec_ok(int irq, void *data)
{
	return IRQ_HANDLED;
}

static irqreturn_t it_dma_bad(int irq, void *data)
{
	struct it_dev *dev = data;

	dev->buf = kzalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	return IRQ_HANDLED;
}

/* Never registered as an interrupt handler: run by it_run_cmd() in process context. */
static irqreturn_t it_cmd_ok(int irq, void *data)
{
	struct it_dev *dev = data;

	mutex_lock(&dev->lock);
	dev->buf = kzalloc(dev->len, GFP_KERNEL);
	mutex_unlock(&dev->lock);
	return IRQ_HANDLED;
}

static const struct it_irq it_irqs[] = {
	{ .irq = 3, .name = "rx", .handler = it_rx_bad },
	{ .irq = 4, .name = "tx", .handler = it_tx_ok },
	{ 5, "err", it_err_bad },
};

static const struct it_vec it_vecs[] = {
	{ 7, it_vec_bad },
	{ .isr = it_vec_ok, .nr = 8 },
};

static const struct it_irq it_dma_irqs[] = {
	{ .irq = 9, .name = "dma", .handler = it_dma_bad },
};

static const struct it_cmd it_cmds[] = {
	{ .name = "reset", .handler = it_cmd_ok },
};

int it_request_all(struct it_dev *dev)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(it_irqs); i++) {
		ret = request_irq(it_irqs[i].irq, it_irqs[i].handler, 0, it_irqs[i].name, dev);
		if (ret)
			return ret;
	}
	return 0;
}

int it_request_vecs(struct it_dev *dev)
{
	const struct it_vec *v;
	int ret;

	for (v = it_vecs; v < it_vecs + ARRAY_SIZE(it_vecs); v++) {
		ret = request_irq(v->nr, v->isr, 0, "it", dev);
		if (ret)
			return ret;
	}
	return 0;
}

static int it_request_table(struct it_dev *dev, const struct it_irq *t, int n)
{
	int i, ret;

	for (i = 0; i < n; i++) {
		ret = request_irq(t[i].irq, t[i].handler, 0, t[i].name, dev);
		if (ret)
			return ret;
	}
	return 0;
}

int it_request_dma(struct it_dev *dev)
{
	return it_request_table(dev, it_dma_irqs, ARRAY_SIZE(it_dma_irqs));
}

irqreturn_t it_run_cmd(struct it_dev *dev, int i)
{
	return it_cmds[i].handler(0, dev);
}
