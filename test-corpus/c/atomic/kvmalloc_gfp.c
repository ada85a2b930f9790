// SPDX-License-Identifier: GPL-2.0
/*
 * kvmalloc-nonblocking-gfp: kvmalloc with flags that cannot block never falls back to vmalloc,
 * and its kernel-doc calls GFP_ATOMIC and GFP_NOWAIT unsupported (docs/kernel-facts.md §1.11).
 */
#include <linux/slab.h>
#include <linux/mm.h>

#define KG_TABLE_BYTES	(64 * 1024)

struct kg_ctx {
	void *table;
	size_t n;
};

static void *kg_atomic_bad(void)
{
	return kvmalloc(KG_TABLE_BYTES, GFP_ATOMIC); // expect: kvmalloc-nonblocking-gfp
}

static void *kg_nowait_bad(size_t size)
{
	return kvzalloc(size, GFP_NOWAIT); // expect: kvmalloc-nonblocking-gfp
}

static void kg_array_bad(struct kg_ctx *c)
{
	c->table = kvcalloc(c->n, sizeof(u64), GFP_ATOMIC | __GFP_NOWARN); // expect: kvmalloc-nonblocking-gfp
}

static void kg_local_flags_bad(struct kg_ctx *c)
{
	gfp_t gfp = GFP_KERNEL & ~__GFP_DIRECT_RECLAIM;

	c->table = kvmalloc_array(c->n, 8, gfp); // expect: kvmalloc-nonblocking-gfp
}

static void *kg_kernel_ok(size_t size)
{
	return kvmalloc(size, GFP_KERNEL);
}

static void *kg_retry_mayfail_ok(size_t size)
{
	return kvzalloc(size, GFP_KERNEL | __GFP_RETRY_MAYFAIL);
}

/* Unknown flags are not judged. */
static void *kg_param_ok(size_t size, gfp_t gfp)
{
	return kvmalloc(size, gfp);
}

/* kmalloc with GFP_ATOMIC is fine: this rule is about kvmalloc only. */
static void *kg_kmalloc_atomic_ok(size_t size)
{
	return kmalloc(size, GFP_ATOMIC);
}
