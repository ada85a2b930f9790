// SPDX-License-Identifier: GPL-2.0
/*
 * n x size allocators return NULL without a warning when the product overflows size_t
 * (check_mul_overflow, docs/kernel-facts.md §1.7).
 */
#include <linux/slab.h>
#include <linux/overflow.h>

void *calloc_overflow_bad(void)
{
	return kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *array_no_overflow_but_huge_bad(void)
{
	/* (SIZE_MAX / 2) * 2 fits in size_t but is far above the limit. */
	return kmalloc_array(SIZE_MAX / 2, 2, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *array_4g_bad(void)
{
	return kmalloc_array(1 << 16, 1 << 16, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *node_overflow_bad(int nid)
{
	return kcalloc_node(ULONG_MAX, 2, GFP_KERNEL, nid); // expect: kmalloc-size-limit
}

void *realloc_array_overflow_bad(void *old)
{
	return krealloc_array(old, SIZE_MAX / 8, 16, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *zero_count_ok(void)
{
	return kcalloc(0, SIZE_MAX, GFP_KERNEL);
}

void *unknown_count_ok(size_t n)
{
	return kcalloc(n, SZ_8M, GFP_KERNEL);
}

void *small_array_ok(void)
{
	return kmalloc_array(128, sizeof(u64), GFP_KERNEL);
}

void *kvcalloc_overflow_bad(void)
{
	return kvcalloc(SIZE_MAX / 2, 4, GFP_KERNEL); // limitation: kmalloc-size-limit: kvmalloc-family overflow also returns NULL, but only the kmalloc family is checked
}
