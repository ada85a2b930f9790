// kmodcheck-target: arm64-16k
// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 with 16 KiB pages: KMALLOC_MAX_SIZE is 32 MiB, the costly size 128 KiB, the largest page
 * order 11.
 */
#include <linux/slab.h>
#include <linux/gfp.h>

void *sixty_four_k_ok(void)
{
	/* Costly on x86_64 (order 4), order 2 here. */
	return kmalloc(SZ_64K, GFP_KERNEL);
}

void *at_costly_ok(void)
{
	return kmalloc(SZ_128K, GFP_KERNEL);
}

void *past_costly_bad(void)
{
	return kmalloc(SZ_128K + 1, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *eight_mib_bad(void)
{
	/* Fails on x86_64; allowed but costly here. */
	return kmalloc(SZ_8M, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *at_limit_bad(void)
{
	return kmalloc(SZ_32M, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *past_limit_bad(void)
{
	return kmalloc(SZ_32M + 1, GFP_KERNEL); // expect: kmalloc-size-limit
}

struct page *order11_bad(void)
{
	return alloc_pages(GFP_KERNEL, 11); // expect: page-order-costly
}

struct page *order12_bad(void)
{
	return alloc_pages(GFP_KERNEL, 12); // expect: page-order-limit
}

void *exact_32m_bad(void)
{
	return alloc_pages_exact(SZ_32M, GFP_KERNEL); // expect: page-order-costly
}

void *exact_64m_bad(void)
{
	return alloc_pages_exact(SZ_64M, GFP_KERNEL); // expect: page-order-limit
}

unsigned long page_size_order_ok(void)
{
	return __get_free_pages(GFP_KERNEL, get_order(PAGE_SIZE << 3));
}
