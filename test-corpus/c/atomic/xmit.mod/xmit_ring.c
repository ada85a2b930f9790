// SPDX-License-Identifier: GPL-2.0
/* Ring helpers; none of them is atomic by itself. */
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "xmit.h"

static struct xm_desc *xm_desc_alloc(struct xm_priv *priv, gfp_t gfp)
{
	return kzalloc(priv->desc_size, gfp);
}

int xm_map_skb(struct xm_priv *priv, struct sk_buff *skb)
{
	struct xm_desc *d = xm_desc_alloc(priv, GFP_KERNEL);

	if (!d)
		return -1;
	priv->ring[priv->head++ & 255] = d;
	return 0;
}

int xm_map_skb_atomic(struct xm_priv *priv, struct sk_buff *skb)
{
	struct xm_desc *d = xm_desc_alloc(priv, GFP_ATOMIC);

	if (!d)
		return -1;
	priv->ring[priv->head++ & 255] = d;
	return 0;
}

void xm_release_stats(struct xm_priv *priv)
{
	vfree(priv->stats_buf);
	priv->stats_buf = NULL;
}
