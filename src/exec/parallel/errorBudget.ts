import { nodeLabel } from '../../plan/PlanNode.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { Region } from './planRegions.js';

/**
 * Glue's error budgets over a whole parallel region: the inline executor counts each node's
 * error records as they stream past; here workers count per split (TaskSuccess.stageErrors) and
 * the driver adds the splits up in order, failing the job once a node's budget is passed.
 * `stageThreshold` counts the records a node raised; `totalThreshold` those raised by it and
 * everything below it (scan, earlier steps, join build sides).
 */
export class ErrorBudget {
  private readonly nodes: { label: string; stageThreshold?: number; totalThreshold?: number }[];
  private readonly stage: number[];
  /** Build-side error records that reach each node (they enter the chain at their Join). */
  private readonly fromBuildSides: number[];

  constructor(region: Region) {
    this.nodes = [
      { label: nodeLabel(region.scan), stageThreshold: region.scan.stageThreshold, totalThreshold: region.scan.totalThreshold },
      ...region.steps,
    ];
    this.stage = this.nodes.map(() => 0);
    this.fromBuildSides = this.nodes.map(() => 0);
  }

  /** Build-side errors of the join at chain position `index` (steps[index - 1]). */
  addBuildErrors(index: number, count: number): void {
    for (let i = index; i < this.nodes.length; i++) this.fromBuildSides[i] += count;
    this.check();
  }

  addSplit(stageErrors: number[]): void {
    stageErrors.forEach((n, i) => (this.stage[i] += n));
    this.check();
  }

  private check(): void {
    let total = 0;
    this.nodes.forEach((node, i) => {
      total += this.stage[i];
      if (node.stageThreshold && this.stage[i] > node.stageThreshold) {
        throw new SluiceError(`${node.label}: ${this.stage[i]} error records exceed stageThreshold ${node.stageThreshold}`);
      }
      const reaching = total + this.fromBuildSides[i];
      if (node.totalThreshold && reaching > node.totalThreshold) {
        throw new SluiceError(`${node.label}: ${reaching} error records up to this step exceed totalThreshold ${node.totalThreshold}`);
      }
    });
  }
}
