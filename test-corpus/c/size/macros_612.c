// SPDX-License-Identifier: GPL-2.0
/*
 * 6.12 defines allocators as macros over *_noprof functions (docs/kernel-facts.md §3.3). These
 * definitions mimic that shape so the calls arrive through macro expansions and statement
 * expressions, as they do in build-aware scans.
 */
#define NUMA_NO_NODE	(-1)

#define alloc_hooks(_do_alloc)	({ void *_res = _do_alloc; _res; })
#define kmalloc(...)		alloc_hooks(kmalloc_noprof(__VA_ARGS__))
#define kmalloc_array(...)	alloc_hooks(kmalloc_array_noprof(__VA_ARGS__))
#define kcalloc(n, size, flags)	kmalloc_array(n, size, (flags) | __GFP_ZERO)
#define kvmalloc_node(...)	alloc_hooks(kvmalloc_node_noprof(__VA_ARGS__))
#define kvmalloc(_size, _flags)	kvmalloc_node(_size, _flags, NUMA_NO_NODE)
#define alloc_pages(...)	alloc_hooks(alloc_pages_noprof(__VA_ARGS__))
#define __get_dma_pages(gfp_mask, order) __get_free_pages((gfp_mask) | GFP_DMA, (order))
#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]))

static u32 mydrv_regs[1 << 12];

void *macro_kmalloc_bad(void)
{
	return kmalloc(SZ_8M, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *macro_kcalloc_bad(void)
{
	return kcalloc(1024, SZ_8K, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *macro_kcalloc_costly_bad(void)
{
	return kcalloc(16, SZ_8K, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *macro_kcalloc_ok(void)
{
	return kcalloc(4, SZ_8K, GFP_KERNEL);
}

void *macro_kvmalloc_ok(void)
{
	return kvmalloc(SZ_64M, GFP_KERNEL);
}

void *macro_alloc_pages_bad(void)
{
	return alloc_pages(GFP_KERNEL, 11); // expect: page-order-limit
}

unsigned long macro_dma_pages_bad(void)
{
	return __get_dma_pages(GFP_KERNEL, 5); // expect: page-order-costly
}

void *macro_array_size_bad(void)
{
	return kcalloc(ARRAY_SIZE(mydrv_regs), SZ_4K, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *macro_array_size_ok(void)
{
	return kcalloc(ARRAY_SIZE(mydrv_regs), sizeof(u32), GFP_KERNEL);
}
