import { LAMBDA_LIMITS } from './constants';

/**
 * The vCPU share Lambda gives a function with `memoryMb` of memory (one vCPU per 1,769 MB), rounded down to a
 * half vCPU, as the profiles state it. Below 885 MB a function has less than half a vCPU and this returns 0.
 *
 * @example
 * lambdaVcpuForMemory(1024); // 0.5
 * lambdaVcpuForMemory(2048); // 1
 * lambdaVcpuForMemory(4096); // 2
 */
export function lambdaVcpuForMemory(memoryMb: number): number {
  if (!Number.isFinite(memoryMb) || memoryMb < 0) {
    throw new RangeError(`Lambda memory must be a non-negative number of MB, got ${memoryMb}`);
  }
  return Math.floor((memoryMb / LAMBDA_LIMITS.mbPerVcpu) * 2) / 2;
}
