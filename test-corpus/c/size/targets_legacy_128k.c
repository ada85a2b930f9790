// kmodcheck-target: legacy-128k
// SPDX-License-Identifier: GPL-2.0
/*
 * Older SLAB kernels capped kmalloc at 128 KiB while the page allocator still went to order 10:
 * what is merely costly on x86_64 fails here.
 */
#include <linux/slab.h>
#include <linux/gfp.h>

void *at_costly_ok(void)
{
	return kmalloc(SZ_32K, GFP_KERNEL);
}

void *at_limit_bad(void)
{
	return kmalloc(SZ_128K, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *past_limit_bad(void)
{
	return kmalloc(SZ_128K + 1, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *one_mib_bad(void)
{
	return kmalloc_array(256, SZ_4K, GFP_KERNEL); // expect: kmalloc-size-limit
}

struct page *order10_bad(void)
{
	return alloc_pages(GFP_KERNEL, 10); // expect: page-order-costly
}

struct page *order11_bad(void)
{
	return alloc_pages(GFP_KERNEL, 11); // expect: page-order-limit
}

void *vmalloc_ok(void)
{
	return vmalloc(SZ_1M);
}
