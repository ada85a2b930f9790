// SPDX-License-Identifier: GPL-2.0
/*
 * kmalloc-costly-order on x86_64: above 32 KiB (PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER) kmalloc
 * needs an order-4 or larger block.
 */
#include <linux/slab.h>

#define MYDRV_DESC_BYTES	(64 * 1024)

void *at_costly_ok(void)
{
	return kmalloc(SZ_32K, GFP_KERNEL);
}

void *one_past_costly_bad(void)
{
	return kmalloc(SZ_32K + 1, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *page_shift_ok(void)
{
	return kzalloc(PAGE_SIZE << 3, GFP_KERNEL);
}

void *page_shift_bad(void)
{
	return kzalloc(PAGE_SIZE << 4, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *desc_ring_bad(void)
{
	return kmalloc(MYDRV_DESC_BYTES, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *atomic_bad(void)
{
	return kmalloc(SZ_1M, GFP_ATOMIC); // expect: kmalloc-costly-order
}

void *nowarn_fallback_ok(void)
{
	void *p = kmalloc(SZ_1M, GFP_KERNEL | __GFP_NOWARN | __GFP_RETRY_MAYFAIL);

	if (!p)
		p = vmalloc(SZ_1M);
	return p;
}

void *array_bad(void)
{
	return kmalloc_array(16, SZ_4K, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *array_ok(void)
{
	return kcalloc(8, SZ_4K, GFP_KERNEL);
}

void *realloc_bad(void *old)
{
	return krealloc(old, SZ_64K, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *memdup_bad(const void *src)
{
	return kmemdup(src, SZ_128K, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *memdup_nul_bad(const char *src)
{
	return kmemdup_nul(src, SZ_4M, GFP_KERNEL); // expect: kmalloc-costly-order // limitation: kmalloc-size-limit: kmemdup_nul allocates len + 1 but the catalogue counts len
}

void *kvmalloc_ok(void)
{
	return kvmalloc(SZ_1M, GFP_KERNEL);
}

void *two_on_a_line_bad(void **second)
{
	return (*second = kmalloc(SZ_64K, GFP_KERNEL)) ? kzalloc(SZ_8M, GFP_KERNEL) : NULL; // expect: kmalloc-costly-order, kmalloc-size-limit
}
