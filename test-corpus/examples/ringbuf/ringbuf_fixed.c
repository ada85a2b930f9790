// SPDX-License-Identifier: GPL-2.0
/*
 * The same allocations done right: nothing here may be reported.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include "ringbuf.h"

int ringbuf_alloc_fixed(struct ringbuf *rb)
{
	/* Not used for DMA and allocated where sleeping is fine: kvcalloc falls back to vmalloc. */
	rb->entries = kvcalloc(RB_ENTRIES, sizeof(*rb->entries), GFP_KERNEL);
	if (!rb->entries)
		return -ENOMEM;

	/* 8 KiB stays within the slab caches. */
	rb->scratch = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);
	if (!rb->scratch) {
		kvfree(rb->entries);
		return -ENOMEM;
	}

	/* Order 2 (16 KiB) is below PAGE_ALLOC_COSTLY_ORDER: not a costly request. */
	rb->dma_pages = __get_free_pages(GFP_KERNEL | __GFP_NOWARN, 2);
	if (!rb->dma_pages) {
		kfree(rb->scratch);
		kvfree(rb->entries);
		return -ENOMEM;
	}
	return 0;
}
