// SPDX-License-Identifier: GPL-2.0
/*
 * A transmit function runs with bottom halves disabled when the stack calls it, so
 * in_interrupt() is true there and "in_interrupt() ? GFP_ATOMIC : GFP_KERNEL" picks
 * GFP_ATOMIC; only netpoll (netconsole) calls it with interrupts off from process context,
 * where the same test picks GFP_KERNEL. Such a chain is conditional on netpoll. Whatever
 * sleeps in any atomic context stays certain.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/delay.h>

struct xc_priv {
	spinlock_t lock;
	void *scratch;
};

static void *xc_alloc(size_t len)
{
	return kmalloc(len, in_interrupt() ? GFP_ATOMIC : GFP_KERNEL);
}

static netdev_tx_t xc_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct xc_priv *priv = netdev_priv(dev);
	void *desc = xc_alloc(64); // expect: sleeping-alloc-in-atomic(conditional)

	if (!desc) {
		vfree(priv->scratch); // expect: sleep-in-atomic(conditional)
		priv->scratch = NULL;
		return NETDEV_TX_BUSY;
	}
	kfree(desc);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static netdev_tx_t xc_start_xmit_bad(struct sk_buff *skb, struct net_device *dev)
{
	void *desc = kmalloc(64, GFP_KERNEL); // expect: sleeping-alloc-in-atomic

	msleep(1); // expect: sleep-in-atomic
	kfree(desc);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops xc_netdev_ops = {
	.ndo_start_xmit = xc_start_xmit,
};

static const struct net_device_ops xc_netdev_ops_bad = {
	.ndo_start_xmit = xc_start_xmit_bad,
};

/* A spinlock taken in process context: in_interrupt() is false, the allocation sleeps. */
static void xc_refill(struct xc_priv *priv)
{
	spin_lock(&priv->lock);
	xc_alloc(128); // expect: sleeping-alloc-in-atomic
	spin_unlock(&priv->lock);
}
