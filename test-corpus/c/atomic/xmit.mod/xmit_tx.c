// SPDX-License-Identifier: GPL-2.0
/*
 * ndo_start_xmit runs with BH disabled under the TX lock (docs/kernel-facts.md §4.6): the
 * descriptor allocation two calls away, in xmit_ring.c, may sleep.
 */
#include "xmit.h"

netdev_tx_t xm_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct xm_priv *priv = netdev_priv(ndev);

	if (skb->len > 1500) {
		if (xm_map_skb_atomic(priv, skb))
			return NETDEV_TX_BUSY;
		return NETDEV_TX_OK;
	}
	if (xm_map_skb(priv, skb)) // expect: sleeping-alloc-in-atomic
		return NETDEV_TX_BUSY;
	return NETDEV_TX_OK;
}

/* BH disabled means in_interrupt(): vfree defers its work here (docs/kernel-facts.md §3.2). */
void xm_tx_timeout(struct net_device *ndev, unsigned int txqueue)
{
	struct xm_priv *priv = netdev_priv(ndev);

	xm_release_stats(priv);
}

/* ndo_open runs in process context: the same helper may sleep here. */
int xm_open(struct net_device *ndev)
{
	struct xm_priv *priv = netdev_priv(ndev);

	return xm_map_skb(priv, NULL);
}
