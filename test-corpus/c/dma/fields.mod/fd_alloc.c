// SPDX-License-Identifier: GPL-2.0
/* Allocation side: probe-time buffers stored in struct fields and a pointer global. */
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "fd.h"

u8 *fd_log;

int fd_alloc(struct fd_dev *fd)
{
	fd->buf = vzalloc(PAGE_SIZE * 4);
	fd->rx = kmalloc(64, GFP_KERNEL);
	fd_log = vmalloc(PAGE_SIZE); // expect: vmalloc-small-size
	return fd->buf && fd->rx && fd_log ? 0 : -ENOMEM;
}

int fd_alloc_chan(struct fd_chan *ch)
{
	ch->buf = kzalloc(256, GFP_KERNEL);
	return ch->buf ? 0 : -ENOMEM;
}

void *fd_get_rx(struct fd_dev *fd)
{
	return fd->rx;
}
