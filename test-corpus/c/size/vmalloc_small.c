// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc-small-size on x86_64: vmalloc-family requests of at most PAGE_SIZE (4 KiB) belong to
 * kmalloc; larger ones, unprovable sizes and variants with a purpose kmalloc cannot serve do not.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct vs_state {
	u32 regs[64];
	u64 stamp;
};

#define VS_TABLE_BYTES	2048

void *vs_state_alloc_bad(void)
{
	return vzalloc(sizeof(struct vs_state)); // expect: vmalloc-small-size
}

void *vs_page_bad(void)
{
	return vmalloc(4096); // expect: vmalloc-small-size
}

void *vs_table_bad(int node)
{
	return vzalloc_node(VS_TABLE_BYTES, node); // expect: vmalloc-small-size
}

void *vs_array_bad(void)
{
	return vcalloc(16, sizeof(u64)); // expect: vmalloc-small-size
}

void *vs_one_past_page_ok(void)
{
	return vmalloc(PAGE_SIZE + 1);
}

void *vs_large_ok(void)
{
	return vzalloc(SZ_1M);
}

void *vs_unknown_ok(size_t n)
{
	return vmalloc(n);
}

void *vs_user_ok(void)
{
	return vmalloc_user(PAGE_SIZE);
}

void *vs_dma32_ok(void)
{
	return vmalloc_32(512);
}

struct page *vs_mapped_ok(void **out)
{
	*out = vmalloc(PAGE_SIZE);
	return *out ? vmalloc_to_page(*out) : NULL;
}

void vs_coredump_ok(struct device *dev)
{
	void *log = vmalloc(SZ_4K);

	if (log)
		dev_coredumpv(dev, log, SZ_4K, GFP_KERNEL);
}

void *vs_kmalloc_ok(void)
{
	return kzalloc(sizeof(struct vs_state), GFP_KERNEL);
}
