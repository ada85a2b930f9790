// SPDX-License-Identifier: GPL-2.0
/*
 * page-order-limit and page-order-costly on x86_64: the largest page order is 10 (4 MiB); orders
 * above PAGE_ALLOC_COSTLY_ORDER (3) are costly.
 */
#include <linux/gfp.h>
#include <linux/mm.h>

#define MYDRV_RX_ORDER	4

struct page *order3_ok(void)
{
	return alloc_pages(GFP_KERNEL, 3);
}

struct page *order4_bad(void)
{
	return alloc_pages(GFP_KERNEL, 4); // expect: page-order-costly
}

struct page *order10_bad(void)
{
	return alloc_pages(GFP_KERNEL, 10); // expect: page-order-costly
}

struct page *order11_bad(void)
{
	return alloc_pages(GFP_KERNEL, 11); // expect: page-order-limit
}

struct page *max_order_bad(void)
{
	/* 6.1 MAX_ORDER is exclusive: the classic off-by-one. */
	return alloc_pages(GFP_KERNEL, MAX_ORDER); // expect: page-order-limit
}

struct page *max_order_minus_one_bad(void)
{
	return alloc_pages(GFP_KERNEL, MAX_ORDER - 1); // expect: page-order-costly
}

unsigned long free_pages_bad(void)
{
	return __get_free_pages(GFP_KERNEL, get_order(SZ_8M)); // expect: page-order-limit
}

unsigned long free_pages_4m_bad(void)
{
	return __get_free_pages(GFP_KERNEL, get_order(SZ_4M)); // expect: page-order-costly
}

unsigned long free_pages_32k_ok(void)
{
	return __get_free_pages(GFP_KERNEL | __GFP_ZERO, get_order(SZ_32K));
}

unsigned long dma_pages_bad(void)
{
	return __get_dma_pages(GFP_KERNEL, 11); // expect: page-order-limit
}

struct page *node_bad(int nid)
{
	return alloc_pages_node(nid, GFP_KERNEL, 12); // expect: page-order-limit
}

unsigned long devm_pages_bad(struct device *dev)
{
	return devm_get_free_pages(dev, GFP_KERNEL, MYDRV_RX_ORDER); // expect: page-order-costly
}

struct folio *folio_bad(void)
{
	return folio_alloc(GFP_KERNEL, 11); // expect: page-order-limit
}

struct page *noprof_bad(void)
{
	return alloc_pages_noprof(GFP_KERNEL, 11); // expect: page-order-limit
}

struct page *minus_one_bad(void)
{
	/* The order parameter is unsigned int: -1 is 4294967295. */
	return alloc_pages(GFP_KERNEL, -1); // expect: page-order-limit
}

void *exact_bad(void)
{
	return alloc_pages_exact(SZ_8M, GFP_KERNEL); // expect: page-order-limit
}

void *exact_at_costly_ok(void)
{
	return alloc_pages_exact(SZ_32K, GFP_KERNEL);
}

void *exact_past_costly_bad(void)
{
	return alloc_pages_exact(SZ_32K + 1, GFP_KERNEL); // expect: page-order-costly
}

void *exact_nid_bad(int nid)
{
	return alloc_pages_exact_nid(nid, SZ_16M, GFP_KERNEL); // expect: page-order-limit
}

struct page *nowarn_costly_ok(void)
{
	/* A caller passing __GFP_NOWARN has a fallback for the likely failure. */
	return alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, 9);
}

struct page *nowarn_limit_bad(void)
{
	/* NOWARN only silences the WARN; the allocation still always fails. */
	return alloc_pages(GFP_KERNEL | __GFP_NOWARN, 11); // expect: page-order-limit
}

struct page *param_order_ok(unsigned int order)
{
	return alloc_pages(GFP_KERNEL, order);
}

struct page *local_order_bad(void)
{
	unsigned int order = get_order(SZ_1M);

	return alloc_pages(GFP_KERNEL, order); // expect: page-order-costly
}

struct page *single_pages_ok(void)
{
	unsigned long a = __get_free_page(GFP_KERNEL);
	unsigned long b = get_zeroed_page(GFP_KERNEL);

	free_page(a);
	free_page(b);
	return alloc_page(GFP_KERNEL);
}
