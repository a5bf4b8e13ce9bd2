# Desktop integration installed with the viewer: the launcher (Exec=rerun %F, so several files
# open at once), the icon in the hicolor sizes, and the shared-mime-info entry for .rrd and .rbl.
include(GNUInstallDirs)
if(TARGET rerun)
    install(TARGETS rerun RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
set(desktop_dir ${CMAKE_SOURCE_DIR}/assets/desktop)
install(FILES ${desktop_dir}/rerun.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${desktop_dir}/rerun-mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages RENAME rerun.xml)
install(FILES ${desktop_dir}/rerun.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
foreach(size 16 32 48 64 128 256)
    install(FILES ${desktop_dir}/icons/rerun-${size}.png
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps RENAME rerun.png)
endforeach()
