// SPDX-License-Identifier: GPL-2.0
/* The ops table lives here; the callbacks are defined in xmit_tx.c. */
#include "xmit.h"

static const struct net_device_ops xm_netdev_ops = {
	.ndo_open = xm_open,
	.ndo_start_xmit = xm_start_xmit,
	.ndo_tx_timeout = xm_tx_timeout,
};

void xm_setup(struct net_device *ndev)
{
	ndev->netdev_ops = &xm_netdev_ops;
}
