import 'reflect-metadata';
import { runDepartmentProcess } from '../kernel/department/main';
import { market } from './index';

runDepartmentProcess(market).catch((error) => {
  console.error(error);
  process.exit(1);
});
