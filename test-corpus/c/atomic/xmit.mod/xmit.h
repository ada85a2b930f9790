/* SPDX-License-Identifier: GPL-2.0 */
/* A network driver split over three files: ops table, transmit path, ring helpers. */
#ifndef XMIT_H
#define XMIT_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>

struct xm_desc {
	void *data;
	unsigned int len;
};

struct xm_priv {
	spinlock_t tx_lock;
	struct xm_desc *ring[256];
	unsigned int head;
	void *stats_buf;
	size_t desc_size;
};

netdev_tx_t xm_start_xmit(struct sk_buff *skb, struct net_device *ndev);
void xm_tx_timeout(struct net_device *ndev, unsigned int txqueue);
int xm_open(struct net_device *ndev);
int xm_map_skb(struct xm_priv *priv, struct sk_buff *skb);
int xm_map_skb_atomic(struct xm_priv *priv, struct sk_buff *skb);
void xm_release_stats(struct xm_priv *priv);

/* Parsed with every file that includes this header, reported once. */
static inline void xm_stats_reset_bad(struct xm_priv *priv)
{
	spin_lock(&priv->tx_lock);
	priv->stats_buf = kzalloc(64, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock(&priv->tx_lock);
}

#endif
