import 'reflect-metadata';
import { runDepartmentProcess } from '../department-kernel/main';
import { market } from './index';

runDepartmentProcess(market).catch((error) => {
  console.error(error);
  process.exit(1);
});
