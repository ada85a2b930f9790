// SPDX-License-Identifier: GPL-2.0
/* Mapping side: uses the fields and helpers of the other files. */
#include "fd.h"

void fd_start_bad(struct fd_dev *fd)
{
	fd->buf_dma = dma_map_single(fd->dev, fd->buf, PAGE_SIZE * 4, DMA_TO_DEVICE); // expect: vmalloc-dma
}

void fd_log_bad(struct fd_dev *fd)
{
	u8 *p = fd_log + 16;

	fd->buf_dma = dma_map_single(fd->dev, p, 64, DMA_TO_DEVICE); // expect: vmalloc-dma
}

/* Same field name, other struct type: kmalloc'ed, fine. */
void fd_chan_ok(struct fd_dev *fd, struct fd_chan *ch)
{
	ch->buf_dma = dma_map_single(fd->dev, ch->buf, 256, DMA_TO_DEVICE);
}

/* A kmalloc'ed field returned by a helper of the other file. */
void fd_rx_ok(struct fd_dev *fd)
{
	fd->buf_dma = dma_map_single(fd->dev, fd_get_rx(fd), 64, DMA_FROM_DEVICE);
}

void fd_cmd_bad(struct fd_dev *fd)
{
	u8 cmd[4] = { 1, 2, 3, 4 };

	fd_submit(fd, cmd, sizeof(cmd));
}

void fd_cmd_ok(struct fd_dev *fd)
{
	fd_submit(fd, fd->rx, 64);
}
