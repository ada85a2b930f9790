// SPDX-License-Identifier: GPL-2.0
// kmodcheck-kernel-summaries: 6.12
/*
 * Locks taken and callbacks registered through kernel functions this module has no source for:
 * 6.12's uart_port_lock_irqsave() is an inline of include/linux/serial_core.h around
 * spin_lock_irqsave(&up->lock, ...), netif_tx_lock_bh() disables bottom halves, pci_request_irq()
 * hands its handler to request_threaded_irq(), register_netevent_notifier() registers an atomic
 * notifier. The shipped 6.12 kernel summaries know these facts (docs/kernel-summaries.md); the
 * corpus scans this file a second time without summaries, where every expect-summary line must
 * have no finding at all.
 */
#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/serial_core.h>
#include <linux/slab.h>

struct klw_port {
	struct uart_port port;
	struct net_device *ndev;
	void *buf;
};

static void klw_start_tx_bad(struct klw_port *p)
{
	unsigned long flags;

	uart_port_lock_irqsave(&p->port, &flags);
	p->buf = kzalloc(64, GFP_KERNEL); // expect-summary: sleeping-alloc-in-atomic
	uart_port_unlock_irqrestore(&p->port, flags);
}

static void klw_start_tx_ok(struct klw_port *p)
{
	unsigned long flags;

	uart_port_lock_irqsave(&p->port, &flags);
	p->buf = kzalloc(64, GFP_ATOMIC);
	uart_port_unlock_irqrestore(&p->port, flags);
	/* Released by the kernel's unlock wrapper: process context again. */
	p->buf = kzalloc(64, GFP_KERNEL);
}

/* The kernel's wrapper and the module's own unlock name the same lock. */
static void klw_mixed_ok(struct klw_port *p)
{
	unsigned long flags;

	uart_port_lock_irqsave(&p->port, &flags);
	spin_unlock_irqrestore(&p->port.lock, flags);
	msleep(1);
}

static void klw_tx_timeout_bad(struct klw_port *p)
{
	netif_tx_lock_bh(p->ndev);
	msleep(10); // expect-summary: sleep-in-atomic
	netif_tx_unlock_bh(p->ndev);
	msleep(10);
}

static irqreturn_t klw_irq_bad(int irq, void *data)
{
	struct klw_port *p = data;

	p->buf = kmalloc(128, GFP_KERNEL); // expect-summary: sleeping-alloc-in-atomic
	return IRQ_HANDLED;
}

static irqreturn_t klw_thread_ok(int irq, void *data)
{
	struct klw_port *p = data;

	p->buf = kmalloc(128, GFP_KERNEL);
	return IRQ_HANDLED;
}

static int klw_netevent_bad(struct notifier_block *nb, unsigned long event, void *ptr)
{
	msleep(1); // expect-summary: sleep-in-atomic
	return NOTIFY_DONE;
}

static struct notifier_block klw_nb = {
	.notifier_call = klw_netevent_bad,
};

static int klw_probe(struct pci_dev *pdev, struct klw_port *p)
{
	int ret;

	ret = pci_request_irq(pdev, 0, klw_irq_bad, NULL, p, "%s-irq", pci_name(pdev));
	if (ret)
		return ret;
	ret = pci_request_irq(pdev, 1, NULL, klw_thread_ok, p, "klw-thread");
	if (ret)
		return ret;
	return register_netevent_notifier(&klw_nb);
}
