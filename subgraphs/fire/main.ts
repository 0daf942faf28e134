import 'reflect-metadata';
import { runDepartmentProcess } from '../department-kernel/main';
import { fire } from './index';

runDepartmentProcess(fire).catch((error) => {
  console.error(error);
  process.exit(1);
});
