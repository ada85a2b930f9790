// kmodcheck-target: arm64-64k
// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 with 64 KiB pages: KMALLOC_MAX_SIZE is 512 MiB, the costly size 512 KiB, the largest page
 * order 13.
 */
#include <linux/slab.h>
#include <linux/gfp.h>

void *eight_mib_bad(void)
{
	return kmalloc(SZ_8M, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *at_costly_ok(void)
{
	return kzalloc(SZ_512K, GFP_KERNEL);
}

void *past_costly_bad(void)
{
	return kzalloc(SZ_512K + 1, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *at_limit_bad(void)
{
	return kmalloc(SZ_512M, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *past_limit_bad(void)
{
	return kmalloc(SZ_512M + 1, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *devm_at_limit_bad(struct device *dev)
{
	return devm_kmalloc(dev, SZ_512M, GFP_KERNEL); // expect: kmalloc-size-limit
}

struct page *order13_bad(void)
{
	return alloc_pages(GFP_KERNEL, 13); // expect: page-order-costly
}

struct page *order14_bad(void)
{
	return alloc_pages(GFP_KERNEL, 14); // expect: page-order-limit
}

void *exact_bad(void)
{
	return alloc_pages_exact(SZ_512M + 1, GFP_KERNEL); // expect: page-order-limit
}

struct page *order3_ok(void)
{
	return alloc_pages(GFP_KERNEL, 3);
}
