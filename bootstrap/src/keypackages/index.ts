export {
  DEFAULT_MAX_KEY_PACKAGES_PER_DEVICE, KeyPackageDirectory, MAX_DEVICES_PER_HANDLE, MAX_KEY_PACKAGE_BYTES, MAX_KEY_PACKAGES_PER_UPLOAD,
  NoKeyPackageError, type TakenKeyPackage
} from './key-package-directory.js'
