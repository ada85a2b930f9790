// SPDX-License-Identifier: GPL-2.0
/*
 * A static global with a constant initialiser is still not a constant when module_param() lets
 * the user change it at load time.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

static unsigned long mydrv_ring_bytes = SZ_8M;
module_param(mydrv_ring_bytes, ulong, 0444);
MODULE_PARM_DESC(mydrv_ring_bytes, "ring size in bytes");

static unsigned int mydrv_rx_order = 11;
module_param_named(rx_order, mydrv_rx_order, uint, 0444);

void *ring_from_param_ok(void)
{
	return kmalloc(mydrv_ring_bytes, GFP_KERNEL);
}

struct page *rx_pages_from_param_ok(void)
{
	return alloc_pages(GFP_KERNEL, mydrv_rx_order);
}

void *fixed_ring_bad(void)
{
	return kmalloc(SZ_8M, GFP_KERNEL); // expect: kmalloc-size-limit
}

MODULE_LICENSE("GPL");
