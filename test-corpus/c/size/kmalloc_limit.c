// SPDX-License-Identifier: GPL-2.0
/*
 * kmalloc-size-limit on x86_64: KMALLOC_MAX_SIZE is 4 MiB (PAGE_SIZE << 10). Anything above it
 * makes the page allocator WARN once and return NULL.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/sizes.h>

#define MYDRV_FW_SIZE	(8 * 1024 * 1024)
#define MYDRV_RING_SIZE	(SZ_4M + 1)

enum mydrv_geometry {
	MYDRV_ENTRIES = 4096,
	MYDRV_ENTRY_SIZE = 2048,
};

size_t mydrv_buf_size = SZ_8M;
static const size_t mydrv_fixed_size = SZ_8M;

void *fw_buffer_bad(void)
{
	return kmalloc(SZ_8M, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *just_over_bad(void)
{
	return kzalloc(SZ_4M + 1, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *at_limit_quiet_ok(void)
{
	/* Exactly KMALLOC_MAX_SIZE is allowed; NOWARN marks a caller that copes with failure. */
	return kmalloc(SZ_4M, GFP_KERNEL | __GFP_NOWARN);
}

void *at_limit_bad(void)
{
	return kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *limit_macro_bad(void)
{
	return kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *macro_sizes_bad(int node)
{
	void *fw = kmalloc_node(MYDRV_FW_SIZE, GFP_KERNEL, node); // expect: kmalloc-size-limit
	void *ring = kzalloc(MYDRV_RING_SIZE, GFP_KERNEL); // expect: kmalloc-size-limit

	kfree(fw);
	return ring;
}

void *enum_product_bad(void)
{
	return kmalloc(MYDRV_ENTRIES * MYDRV_ENTRY_SIZE, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *minus_one_bad(void)
{
	return kmalloc((size_t)-1, GFP_ATOMIC); // expect: kmalloc-size-limit
}

void *noprof_bad(void)
{
	return kmalloc_noprof(SZ_16M, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *local_once_bad(void)
{
	size_t len = SZ_4M * 2;
	void *p;

	p = kmalloc(len, GFP_KERNEL); // expect: kmalloc-size-limit
	return p;
}

void *const_local_bad(void)
{
	const unsigned long pages = 2048;

	return kmalloc(pages * PAGE_SIZE, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *reassigned_local_ok(int small)
{
	size_t len = SZ_8M;

	if (small)
		len = SZ_4K;
	return kmalloc(len, GFP_KERNEL);
}

void *address_taken_local_ok(void)
{
	size_t len = SZ_8M;

	mydrv_negotiate(&len);
	return kmalloc(len, GFP_KERNEL);
}

void *param_size_ok(size_t len)
{
	return kmalloc(len, GFP_KERNEL);
}

void *global_size_ok(void)
{
	/* A non-static global can be changed elsewhere (module parameter, other file). */
	return kmalloc(mydrv_buf_size, GFP_KERNEL);
}

void *static_const_global_bad(void)
{
	return kmalloc(mydrv_fixed_size, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *small_sizes_ok(void)
{
	void *a = kmalloc(0, GFP_KERNEL);
	void *b = kmalloc(64, GFP_KERNEL);
	void *c = kzalloc(PAGE_SIZE, GFP_KERNEL);

	kfree(a);
	kfree(b);
	return c;
}

void *unknown_ternary_ok(int big)
{
	return kmalloc(big ? SZ_8M : 64, GFP_KERNEL);
}

void *constant_ternary_bad(void)
{
	return kmalloc(sizeof(long) == 8 ? SZ_8M : SZ_4K, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *four_gib_bad(void)
{
	return kmalloc(SZ_4G, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *vmalloc_family_ok(void)
{
	/* kvmalloc falls back to vmalloc for blocking flags; vmalloc has no such limit. */
	void *a = kvmalloc(SZ_8M, GFP_KERNEL);
	void *b = kvzalloc(SZ_16M, GFP_KERNEL);
	void *c = vmalloc(SZ_8M);

	kvfree(a);
	kvfree(b);
	return c;
}

void *string_dup_ok(const char *name)
{
	return kstrdup(name, GFP_KERNEL);
}
